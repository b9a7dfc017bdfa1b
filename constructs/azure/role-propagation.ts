import { Construct } from 'constructs';
import { TimeProvider } from '@cdktf/provider-time/lib/provider';
import { Sleep } from '@cdktf/provider-time/lib/sleep';
import { ITerraformDependable, TerraformStack } from '../../lib/core/facade/tf';

/** How long a new Azure role assignment may take to reach the data plane (Key Vault, Storage). */
export const AZURE_RBAC_PROPAGATION = '120s';

/**
 * A wait after role assignments, for what uses them through the data plane in the same apply: Azure
 * accepts the assignment at once but enforces it only minutes later, so writing a Key Vault key right
 * after its role would fail on a fresh account. One time provider per stack.
 */
export function afterRolePropagation(scope: Construct, id: string, roles: ReadonlyArray<ITerraformDependable>): Sleep {
  const stack = TerraformStack.of(scope);
  if (!stack.node.tryFindChild('time')) new TimeProvider(stack, 'time');
  return new Sleep(scope, id, { createDuration: AZURE_RBAC_PROPAGATION, dependsOn: [...roles] });
}
