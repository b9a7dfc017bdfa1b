import { K8sObject } from '../lib/core/k8s-objects';
import { terraformStacks } from '../lib/pipeline/guardrails/check';
import { RehearsalInput } from '../lib/pipeline/rehearsal/rehearse';
import { rehearseTerraform } from '../lib/pipeline/rehearsal/terraform';
import { examples } from './helpers';

/** One environment's rehearsal input, deep-copied so a fixture can break it. */
function inputOf(env: string): RehearsalInput & { stacks: Array<{ stackId: string; json: any }>; objects: K8sObject[]; files: Map<string, string> } {
  const result = examples();
  return {
    model: result.models.find((m) => m.env.name === env)!,
    objects: (result.objects.get(env) ?? []).map((o) => {
      const copy = JSON.parse(JSON.stringify(o));
      Object.defineProperty(copy, 'file', { value: o.file, enumerable: false });
      return copy;
    }),
    stacks: terraformStacks(result.files, env).map((s) => ({ ...s, json: JSON.parse(JSON.stringify(s.json)) })),
    files: new Map(result.files),
  };
}
const stack = (input: ReturnType<typeof inputOf>, id: string) => input.stacks.find((s) => s.stackId === id)!.json;
const rules = (input: RehearsalInput) => rehearseTerraform(input).map((f) => `${f.ruleId} ${f.target} ${f.path}: ${f.message}`);

describe('first-apply rehearsal of the Terraform stacks', () => {
  it('finds nothing on the shipped environments', () => {
    for (const env of ['dev', 'prod', 'onprem']) expect(rules(inputOf(env))).toEqual([]);
  });

  it('REH-019: a pod-identity association that names its cluster by a literal has no edge to it', () => {
    const input = inputOf('dev');
    const association = Object.values<any>(stack(input, 'cluster').resource.aws_eks_pod_identity_association)[0];
    association.cluster_name = 'axiom-dev';
    expect(rules(input)).toEqual([
      expect.stringMatching(
        /^REH-019 cluster:aws_eks_pod_identity_association\.\S+ cluster_name: names aws_eks_cluster\.\S+ by the literal "axiom-dev" with no reference/,
      ),
    ]);
  });

  it('REH-020: a password generated from a policy created beside it, without depends_on', () => {
    const input = inputOf('dev');
    const generator = Object.values<any>(stack(input, 'vault').data.vault_generic_secret)[0];
    delete generator.depends_on;
    expect(rules(input)).toEqual([
      expect.stringMatching(
        /^REH-020 vault:data\.vault_generic_secret\.\S+ depends_on: reads "sys\/policies\/password\/parity-generated\/generate", which vault_password_policy\.\S+ of the same stack creates/,
      ),
    ]);
  });

  it('REH-021: an ExternalSecret reading a Vault path nothing writes and nobody is asked for', () => {
    const input = inputOf('dev');
    const vault = stack(input, 'vault');
    const grafana = Object.entries<any>(vault.resource.vault_kv_secret_v2).find(([, r]) => r.name === 'monitoring/grafana/grafana-admin')![0];
    delete vault.resource.vault_kv_secret_v2[grafana];
    expect(rules(input)).toEqual([
      'REH-021 ExternalSecret/monitoring/grafana-admin spec.data[0].remoteRef.key: reads Vault path kv/monitoring/grafana/grafana-admin, which no stack writes and no person is asked for (DEPLOY.md)',
      'REH-021 ExternalSecret/monitoring/grafana-admin spec.data[1].remoteRef.key: reads Vault path kv/monitoring/grafana/grafana-admin, which no stack writes and no person is asked for (DEPLOY.md)',
    ]);
  });

  it('REH-022: an identity granted nothing, and a federation with a namespace the environment never creates', () => {
    const input = inputOf('prod');
    const cluster = stack(input, 'cluster');
    for (const [id, r] of Object.entries<any>(cluster.resource.azurerm_role_assignment))
      if (r.role_definition_name === 'Key Vault Secrets User') delete cluster.resource.azurerm_role_assignment[id];
    Object.values<any>(cluster.resource.azurerm_federated_identity_credential)[0].subject = 'system:serviceaccount:ghost:api';
    const found = rules(input);
    expect(found).toContainEqual(
      expect.stringMatching(
        /^REH-022 cluster:azurerm_user_assigned_identity\.identity-arbitex-platform-key-vault_identity_\S+ grants: is granted nothing/,
      ),
    );
    expect(found).toContainEqual(
      expect.stringMatching(/^REH-022 cluster:azurerm_federated_identity_credential\.\S+ subject: trusts a ServiceAccount of namespace ghost/),
    );
    expect(found).toHaveLength(2);
  });

  it('REH-023: an image pulled from outside the mirror, and one the mirror list misses', () => {
    const input = inputOf('onprem');
    const ollama = input.objects.find((o) => o.kind === 'StatefulSet' && o.metadata.name === 'ollama')!;
    ollama.spec.template.spec.containers[0].image = 'docker.io/ollama/ollama:0.5.4';
    input.files.set('onprem/images.txt', input.files.get('onprem/images.txt')!.replace(/^quay\.io\/cilium\/cilium:.*\n/m, ''));
    const found = rules(input);
    expect(found).toContainEqual(
      expect.stringMatching(
        /^REH-023 StatefulSet\/ai-platform\/ollama spec\.template\.spec\.containers\[0\]\.image: pulls docker\.io\/ollama\/ollama:0\.5\.4 from outside the mirror/,
      ),
    );
    expect(found).toContainEqual(
      expect.stringMatching(
        /^REH-023 Application\/cilium chart images: pulls registry\.lab\.internal\/quay\.io\/cilium\/cilium:v1\.16\.5@sha256:\S+, which images\.txt does not list/,
      ),
    );
  });
});
