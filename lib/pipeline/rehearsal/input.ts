import type { K8sObject } from '../../core/k8s-objects';
import type { StackJson } from '../../../contracts/substrate';
import type { EnvironmentModel } from '../../../stacks/environment';

/** The input of a rehearsal: one environment as synthesized. */
export interface RehearsalInput {
  readonly model: EnvironmentModel;
  readonly objects: ReadonlyArray<K8sObject>;
  readonly stacks: ReadonlyArray<StackJson>;
  /** The synthesized files (images.txt of a mirrored environment). @default none */
  readonly files?: ReadonlyMap<string, string>;
}
