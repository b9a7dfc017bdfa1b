import { WorkloadIdentity } from '../../../constructs/azure/workload-identity';
import { errorOf, resourcesOf, synthTf, tfStack } from '../helpers';

const props = {
  name: 'id-c-app',
  location: 'westeurope',
  resourceGroupName: 'rg',
  oidcIssuerUrl: 'https://issuer.example/',
  namespace: 'app',
  serviceAccounts: ['api', 'migrate'],
};

describe('WorkloadIdentity', () => {
  it('a managed identity and one federated credential per ServiceAccount, for the cluster issuer and the token exchange audience', () => {
    const s = tfStack();
    new WorkloadIdentity(s, 'w', props);
    const json = synthTf(s);
    expect(resourcesOf(json, 'azurerm_user_assigned_identity')[0]).toMatchObject({ name: 'id-c-app', tags: {} });
    const feds = resourcesOf(json, 'azurerm_federated_identity_credential');
    expect(feds.map((f) => [f.name, f.subject])).toEqual([
      ['app-api', 'system:serviceaccount:app:api'],
      ['app-migrate', 'system:serviceaccount:app:migrate'],
    ]);
    for (const f of feds) expect(f).toMatchObject({ issuer: props.oidcIssuerUrl, audience: ['api://AzureADTokenExchange'] });
    expect(resourcesOf(json, 'azurerm_role_assignment')).toEqual([]);
  });

  it('rejects no ServiceAccount, and more than the 20 federated credentials an identity holds', () => {
    expect(errorOf(() => new WorkloadIdentity(tfStack(), 'w', { ...props, serviceAccounts: [] }))).toMatch(
      /prop "serviceAccounts" is \[\]; expected 1 to 20/,
    );
    expect(
      errorOf(() => new WorkloadIdentity(tfStack(), 'w', { ...props, serviceAccounts: Array.from({ length: 21 }, (_, i) => `sa-${i}`) })),
    ).toMatch(/expected 1 to 20 ServiceAccount names/);
  });
});
