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

/** What one machine offers the scheduler: logical CPUs, memory (GiB), NVIDIA GPUs and the pod limit. */
export interface MachineCapacity {
  readonly cpus: number;
  readonly memoryGi: number;
  readonly gpus: number;
  readonly maxPods: number;
}

/**
 * EC2 instance types from the EC2 instance-type catalogue (vCPUs, GiB, GPUs). Pods per node are the VPC
 * CNI's ENI limit without prefix delegation (eni-max-pods.txt of amazon-eks-ami), which Parity does not turn on.
 */
const EC2: Record<string, MachineCapacity> = {
  't3.medium': { cpus: 2, memoryGi: 4, gpus: 0, maxPods: 17 },
  't3.large': { cpus: 2, memoryGi: 8, gpus: 0, maxPods: 35 },
  'm5.large': { cpus: 2, memoryGi: 8, gpus: 0, maxPods: 29 },
  'm5.xlarge': { cpus: 4, memoryGi: 16, gpus: 0, maxPods: 58 },
  'm5.2xlarge': { cpus: 8, memoryGi: 32, gpus: 0, maxPods: 58 },
  'm6i.large': { cpus: 2, memoryGi: 8, gpus: 0, maxPods: 29 },
  'm6i.xlarge': { cpus: 4, memoryGi: 16, gpus: 0, maxPods: 58 },
  'm6i.2xlarge': { cpus: 8, memoryGi: 32, gpus: 0, maxPods: 58 },
  'm6i.4xlarge': { cpus: 16, memoryGi: 64, gpus: 0, maxPods: 234 },
  'c6i.large': { cpus: 2, memoryGi: 4, gpus: 0, maxPods: 29 },
  'c6i.xlarge': { cpus: 4, memoryGi: 8, gpus: 0, maxPods: 58 },
  'c6i.2xlarge': { cpus: 8, memoryGi: 16, gpus: 0, maxPods: 58 },
  'c6i.4xlarge': { cpus: 16, memoryGi: 32, gpus: 0, maxPods: 234 },
  'r6i.xlarge': { cpus: 4, memoryGi: 32, gpus: 0, maxPods: 58 },
  'r6i.2xlarge': { cpus: 8, memoryGi: 64, gpus: 0, maxPods: 58 },
  'g4dn.xlarge': { cpus: 4, memoryGi: 16, gpus: 1, maxPods: 29 },
  'g4dn.2xlarge': { cpus: 8, memoryGi: 32, gpus: 1, maxPods: 29 },
  'g5.xlarge': { cpus: 4, memoryGi: 16, gpus: 1, maxPods: 58 },
  'g5.2xlarge': { cpus: 8, memoryGi: 32, gpus: 1, maxPods: 58 },
  'g5.4xlarge': { cpus: 16, memoryGi: 64, gpus: 1, maxPods: 234 },
  'g5.12xlarge': { cpus: 48, memoryGi: 192, gpus: 4, maxPods: 737 },
  'g6.xlarge': { cpus: 4, memoryGi: 16, gpus: 1, maxPods: 58 },
  'g6.2xlarge': { cpus: 8, memoryGi: 32, gpus: 1, maxPods: 58 },
};

/** Azure VM sizes (vCPUs, GiB, GPUs); AKS with Azure CNI Overlay defaults to 250 pods per node. */
const AZURE: Record<string, MachineCapacity> = {
  Standard_D2s_v5: { cpus: 2, memoryGi: 8, gpus: 0, maxPods: 250 },
  Standard_D4s_v5: { cpus: 4, memoryGi: 16, gpus: 0, maxPods: 250 },
  Standard_D8s_v5: { cpus: 8, memoryGi: 32, gpus: 0, maxPods: 250 },
  Standard_D16s_v5: { cpus: 16, memoryGi: 64, gpus: 0, maxPods: 250 },
  Standard_E4s_v5: { cpus: 4, memoryGi: 32, gpus: 0, maxPods: 250 },
  Standard_E8s_v5: { cpus: 8, memoryGi: 64, gpus: 0, maxPods: 250 },
  Standard_NC4as_T4_v3: { cpus: 4, memoryGi: 28, gpus: 1, maxPods: 250 },
  Standard_NC8as_T4_v3: { cpus: 8, memoryGi: 56, gpus: 1, maxPods: 250 },
  Standard_NC16as_T4_v3: { cpus: 16, memoryGi: 110, gpus: 1, maxPods: 250 },
  Standard_NC24ads_A100_v4: { cpus: 24, memoryGi: 220, gpus: 1, maxPods: 250 },
};

/** Capacity of a cloud machine type, or undefined when the catalogue does not know it. */
export function machineCapacity(machineType: string): MachineCapacity | undefined {
  return EC2[machineType] ?? AZURE[machineType];
}
