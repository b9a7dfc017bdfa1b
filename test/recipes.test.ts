import * as fs from 'fs';
import * as path from 'path';
import { ARGO_NAMESPACE } from '../stacks/platform-manifests';
import { Chart, ManifestApp } from '../lib/core/facade/k8s';
import { FactRegistry } from '../lib/core/facts/registry';
import { workloadPeer } from '../lib/core/facts/connections';
import { SubstrateKind } from '../lib/core/model/schema';
import { substrateFor } from '../substrates';
import { REPO_ROOT, examples } from './helpers';
import { podinfo } from './recipes/add-on';
import { hello } from './recipes/app';

/**
 * docs/architecture.md shows these recipes; the test builds them, so the recipe in the document is code
 * that compiles and synthesizes, and the document shows it verbatim.
 */
const doc = fs.readFileSync(path.join(REPO_ROOT, 'docs', 'architecture.md'), 'utf8');
const recipe = (name: string) => fs.readFileSync(path.join(REPO_ROOT, 'test', 'recipes', name), 'utf8');
const dev = () => examples().models.find((m) => m.env.name === 'dev')!;

function chartWithFacts(): Chart {
  return new Chart(new ManifestApp({ outdir: '/tmp/parity-unused' }), 'recipe', { disableResourceNameHashes: true });
}

describe('architecture recipes', () => {
  it('the document shows the add-on and app recipes verbatim', () => {
    expect(doc).toContain(recipe('add-on.ts'));
    expect(doc).toContain(recipe('app.ts'));
  });

  it('the add-on recipe synthesizes an Argo CD Application of its pinned chart, with chart facts for the rehearsal', () => {
    const model = dev();
    const chart = chartWithFacts();
    const ctx = {
      env: model.env,
      traits: model.substrate.traits,
      argoNamespace: ARGO_NAMESPACE,
      vaultSeal: model.substrate.vaultSeal(model.env),
      backupStorage: model.substrate.backupStorage(model.env),
      hostOs: model.substrate.hostOs?.(model.env),
      facts: FactRegistry.of(chart),
    };
    podinfo.connect(ctx.facts, ctx);
    podinfo.install(chart, ctx);
    const [app] = chart.toJson();
    expect(app.kind).toBe('Application');
    expect(app.spec.source).toMatchObject({ chart: 'podinfo', targetRevision: '6.7.1', helm: { valuesObject: { replicaCount: 2 } } });
    expect(podinfo.chartFacts(ctx).workloads?.[0].podSecurity).toBe('restricted');
    expect(ctx.facts.connections()).toHaveLength(1);
  });

  it('the app recipe synthesizes a hardened service with its Ingress and ServiceMonitor once the environment provides what it looks up', () => {
    const model = dev();
    const chart = chartWithFacts();
    const facts = FactRegistry.of(chart);
    facts.provideWorkload('ingress-controller:nginx', workloadPeer('ingress-nginx', 'controller', { app: 'ingress-nginx' }), 'add-on ingress-nginx');
    facts.provideName('CRD group', 'monitoring.coreos.com', 'add-on kube-prometheus-stack');
    hello.install(
      chart,
      { app: 'hello', namespace: 'team', host: 'hello.example.com' },
      { env: model.env, traits: model.substrate.traits, facts, routeClass: 'nginx' },
    );
    expect(
      chart
        .toJson()
        .map((o: any) => o.kind)
        .sort(),
    ).toEqual(['Deployment', 'Ingress', 'Service', 'ServiceAccount', 'ServiceMonitor']);
  });

  it('the substrate recipe holds: every substrate kind of the schema has an implementation of the contract', () => {
    const kinds: SubstrateKind[] = ['eks', 'aks', 'kubeadm'];
    for (const kind of kinds) {
      const s = substrateFor(kind);
      expect(s.kind).toBe(kind);
      for (const method of [
        'validate',
        'networks',
        'nodePools',
        'nodes',
        'buildInfrastructure',
        'bootstrapCharts',
        'vaultSeal',
        'clusterFacts',
        'platformAddOns',
      ] as const) {
        expect(typeof s[method]).toBe('function');
      }
      expect(doc).toContain(`\`${substrateFile(kind)}\``);
    }
  });
});

const substrateFile = (kind: SubstrateKind) => `substrates/${kind}.ts`;
