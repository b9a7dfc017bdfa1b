/** Container resources as the platform hands them out (Dev Center design: base charts with resource defaults). */
export interface ResourceProfile {
  readonly requests: { readonly cpu: string; readonly memory: string };
  readonly limits: { readonly cpu: string; readonly memory: string };
  /** NVIDIA GPUs requested and limited (equal: GPUs cannot be overcommitted). */
  readonly gpus: number;
}

export type ProfileName = 'typescript' | 'python' | 'gpu-serving';

/** The three profiles of the Dev Center design, exactly. */
export const RESOURCE_PROFILES: Readonly<Record<ProfileName, ResourceProfile>> = {
  typescript: { requests: { cpu: '100m', memory: '256Mi' }, limits: { cpu: '500m', memory: '512Mi' }, gpus: 0 },
  python: { requests: { cpu: '200m', memory: '512Mi' }, limits: { cpu: '1000m', memory: '1Gi' }, gpus: 0 },
  'gpu-serving': { requests: { cpu: '2000m', memory: '8Gi' }, limits: { cpu: '4000m', memory: '16Gi' }, gpus: 1 },
};
