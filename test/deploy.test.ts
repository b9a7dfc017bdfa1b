import { terraformStacks } from '../lib/pipeline/guardrails/check';
import { deployPlan, vaultInputs } from '../lib/pipeline/deploy/plan';
import { DeployRuntime, runDeploy } from '../lib/pipeline/deploy/run';
import { examples } from './helpers';

const planOf = (env: string) => {
  const result = examples();
  const model = result.models.find((m) => m.env.name === env)!;
  const stacks = terraformStacks(result.files, env);
  return { model, stacks, steps: deployPlan(model, stacks, result.objects.get(env) ?? []) };
};

/** Records what the runner would start: cdktf cannot deploy here (no provider downloads, no cloud). */
function recorder(env: Record<string, string>) {
  const events: string[] = [];
  const rt: DeployRuntime = {
    env,
    run: async (c, args) => {
      events.push(`run ${c} ${args.join(' ')}`);
      return 0;
    },
    background: async (c, args) => {
      events.push(`start ${c} ${args.join(' ')}`);
      return () => events.push(`stop ${c}`);
    },
    log: (l) => events.push(`log ${l}`),
  };
  return { rt, events };
}

describe('DEPLOY.md and npm run deploy', () => {
  it('every environment has DEPLOY.md: the stacks in deploy order, Vault initialised before the Vault stack, the runner location', () => {
    for (const env of ['dev', 'prod', 'onprem']) {
      const { model, steps } = planOf(env);
      expect(steps.filter((s) => s.stack).map((s) => s.stack)).toEqual(model.stacks.map((s) => s.deployName));
      const init = steps.findIndex((s) => s.title.startsWith('Initialise'));
      expect(init).toBeGreaterThan(-1);
      expect(steps[init + 1].stackId).toBe('vault');
      const doc = examples().files.get(`${env}/DEPLOY.md`)!;
      expect(doc).toContain(model.substrate.networkRunner(model.env));
      for (const s of model.stacks) expect(doc).toContain(`npx cdktf deploy ${s.deployName}`);
    }
    expect(
      planOf('onprem')
        .steps.find((s) => s.title.startsWith('Initialise'))!
        .commands.join('\n'),
    ).toContain('vault operator unseal');
  });

  it('lists every Terraform variable and provider credential as an input before the first step that needs it; nothing a stack creates', () => {
    for (const env of ['dev', 'prod', 'onprem']) {
      const { steps, stacks } = planOf(env);
      const inputs = steps.flatMap((s) => s.inputs.map((i) => i.name));
      for (const s of stacks) for (const v of Object.keys(s.json.variable ?? {})) expect(inputs).toContain(`TF_VAR_${v}`);
      expect(new Set(inputs).size).toBe(inputs.length);
    }
    const onprem = planOf('onprem').steps.flatMap((s) => s.inputs.map((i) => i.name));
    expect(onprem.filter((i) => i.startsWith('TF_VAR_')).sort()).toEqual([
      'TF_VAR_bmc_password',
      'TF_VAR_bmc_user',
      'TF_VAR_gitops_password',
      'TF_VAR_gitops_username',
    ]);
    expect(onprem).toEqual(expect.arrayContaining(['MAAS_API_KEY', 'AWS_ACCESS_KEY_ID', 'VAULT_TOKEN']));
  });

  it('every Vault secret a person writes is read by an ExternalSecret (no input nobody consumes)', () => {
    for (const env of ['dev', 'prod', 'onprem']) {
      const { model } = planOf(env);
      for (const i of vaultInputs(model, examples().objects.get(env) ?? []))
        expect({ input: i.name, consumers: i.consumedBy.length > 0 }).toEqual({ input: i.name, consumers: true });
    }
  });

  it('says what must exist before the first step: the state backend, the GitOps repository, the mirror’s contents, the site’s own', () => {
    const onprem = examples().files.get('onprem/DEPLOY.md')!;
    const before = onprem.slice(onprem.indexOf('## Before you start'), onprem.indexOf('## Where to run'));
    expect(before).toContain('the state bucket parity-tfstate (https://rgw.lab.internal)');
    expect(before).toContain('https://git.lab.internal/platform/gitops-onprem.git');
    expect(before).toContain('the mirror registry.lab.internal holding every image of images.txt');
    expect(before).toContain('pkgs.k8s.io, core:/stable:/v1.31');
    const dev = examples().files.get('dev/DEPLOY.md')!;
    expect(dev).toContain('the state bucket axiom-parity-tfstate (S3 in us-east-1), versioned and encrypted with alias/parity-tfstate');
    expect(dev).not.toContain('the mirror ');
  });

  it('names the public DNS zones the environment writes to, where they are hosted, and the credential they need', () => {
    const before = (env: string) => {
      const doc = examples().files.get(`${env}/DEPLOY.md`)!;
      return doc.slice(doc.indexOf('## Before you start'), doc.indexOf('## Where to run'));
    };
    expect(before('lab')).toContain(
      "the public DNS zone lab.example.com hosted in Google Cloud DNS (project lab-dns-prod) and delegated there from the parent domain, and a key of a Google service account with the DNS Administrator role (roles/dns.admin) in that project, for external-dns's records",
    );
    expect(before('lab')).toContain(
      'the zone of lab.example.com in Google Cloud DNS (project lab-dns-prod), where cert-manager answers ACME DNS-01 challenges',
    );
    expect(before('axiom-prod')).toContain(
      'the public DNS zone axiom.entropy.sa hosted in Cloudflare and delegated there from the parent domain, and a Cloudflare API token with Zone:DNS:Edit on it',
    );
    // dev's certificates come by DNS-01 through Cloudflare, its names private: no records written.
    expect(before('dev')).toContain('the zone of dev.axiom.entropy.sa in Cloudflare, where cert-manager answers ACME DNS-01 challenges');
    expect(before('dev')).not.toContain('external-dns');
    expect(before('onprem')).not.toContain('DNS zone');
  });

  it('asks for the secrets of an app’s Key Vault before the bootstrap stack, when Argo CD would sync the app that mounts them', () => {
    const { steps } = planOf('prod');
    const kv = steps.findIndex((s) => s.title.includes("apps' Key Vaults"));
    expect(steps[kv + 1].stackId).toBe('bootstrap');
    expect(steps[kv].fromNetwork).toBe(true);
    expect(steps[kv].commands).toContain('az keyvault secret set --vault-name kv-arbitex-prod --name SCIM-BEARER-TOKEN --value <value>');
    expect(steps[kv].inputs.map((i) => i.name)).toEqual(
      ['SECRET-KEY', 'AUDIT-HMAC-KEY', 'POLICY-SIGNING-KEY', 'SCIM-BEARER-TOKEN'].map((k) => `kv-arbitex-prod/${k}`),
    );
  });

  it('the runner refuses to start a step whose inputs are missing, naming them and how to supply them', async () => {
    const { steps } = planOf('dev');
    const { rt, events } = recorder({ AWS_PROFILE: 'p' });
    expect(await runDeploy('dev', steps, () => false, rt)).toBe(1);
    expect(events).toContain('run npx cdktf deploy dev-network');
    expect(events).toContain('run npx cdktf deploy dev-cluster');
    expect(events).not.toContain('run npx cdktf deploy dev-bootstrap');
    expect(events.join('\n')).toContain('TF_VAR_gitops_password: read-only deploy token');
  });

  it('runs the stacks in order, stops at the Vault initialisation with the way to resume, and opens the port-forward for the Vault stack only', async () => {
    const { steps, stacks } = planOf('dev');
    const needsVault = (id: string) => Boolean(stacks.find((s) => s.stackId === id)?.json.provider?.vault);
    const env = { TF_VAR_gitops_username: 'u', TF_VAR_gitops_password: 'p', VAULT_TOKEN: 't', VAULT_CACERT: 'ca.crt' };
    const first = recorder(env);
    expect(await runDeploy('dev', steps, needsVault, first.rt)).toBe(0);
    expect(first.events.filter((e) => e.startsWith('run '))).toEqual([
      'run npx cdktf deploy dev-network',
      'run npx cdktf deploy dev-cluster',
      'run npx cdktf deploy dev-bootstrap',
    ]);
    expect(first.events.at(-1)).toBe('log then resume with: npm run deploy -- --env dev --from 5');

    const second = recorder(env);
    expect(await runDeploy('dev', steps, needsVault, second.rt, { from: 5, to: 5 })).toBe(0);
    expect(second.events.filter((e) => !e.startsWith('log '))).toEqual([
      'start kubectl -n vault port-forward svc/vault 8200:8200',
      'run npx cdktf deploy dev-vault',
      'stop kubectl',
    ]);
    expect(await runDeploy('dev', steps, needsVault, recorder(env).rt, { from: 99 })).toBe(2);
  });
});
