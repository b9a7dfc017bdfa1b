import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment';
import { AZURE_RBAC_PROPAGATION, afterRolePropagation } from '../../../constructs/azure/role-propagation';
import { resourcesOf, synthTf, tfStack } from '../helpers';

describe('afterRolePropagation', () => {
  it('a wait after the role assignments it is given, with one time provider per stack however many waits there are', () => {
    const s = tfStack();
    const role = new RoleAssignment(s, 'role', { scope: 's', roleDefinitionName: 'Reader', principalId: 'p' });
    afterRolePropagation(s, 'a', [role]);
    afterRolePropagation(s, 'b', [role]);
    const json = synthTf(s);
    const sleeps = resourcesOf(json, 'time_sleep');
    expect(sleeps).toHaveLength(2);
    for (const sleep of sleeps)
      expect(sleep).toMatchObject({ create_duration: AZURE_RBAC_PROPAGATION, depends_on: ['azurerm_role_assignment.role'] });
    expect(json.provider.time).toHaveLength(1);
  });
});
