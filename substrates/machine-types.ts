/**
 * Which machine types carry NVIDIA GPUs. A GPU pool on a CPU-only type would schedule nothing and
 * cost money, so this is checked at synth time.
 */
const AWS_GPU_FAMILIES = ['g4dn', 'g5', 'g5g', 'g6', 'g6e', 'gr6', 'p3', 'p3dn', 'p4d', 'p4de', 'p5', 'p5e', 'p5en'];

export function isAwsGpuInstanceType(instanceType: string): boolean {
  return AWS_GPU_FAMILIES.includes(instanceType.split('.')[0]);
}

/** Azure N-series (NC, ND, NV, NG) sizes, e.g. Standard_NC4as_T4_v3. */
export function isAzureGpuVmSize(vmSize: string): boolean {
  return /^Standard_N[CDVG]/.test(vmSize);
}

export const AWS_INSTANCE_TYPE = /^[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|metal|\d*xlarge)$/;
export const AZURE_VM_SIZE = /^Standard_[A-Za-z0-9_]+$/;
