import { execFileSync, spawn, spawnSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { diffTrees } from '../lib/pipeline/review/diff';
import { MANAGED_ENTRIES, publish } from '../lib/pipeline/review/publish';
import { diffMarkdown } from '../lib/pipeline/review/report';
import { assessRisks } from '../lib/pipeline/review/risks';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { REPO_ROOT, examples, fixture, RawEnvironment } from './helpers';

const git = (cwd: string, ...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), 'parity-review-'));

/** Risks of changing one example environment by a mutation. */
function risksOf(name: 'dev' | 'prod' | 'onprem', mutate: (e: RawEnvironment) => void, production = false) {
  const before = new Map([...examples().files].filter(([f]) => f.startsWith(`${name}/`)));
  const after = synthesizeAll({ environmentsDir: fixture(name, mutate) }).files;
  const [diff] = diffTrees(before, after);
  return { diff, risks: assessRisks(diff, production) };
}

describe('semantic diff', () => {
  it('reports Terraform attribute changes with paths and old → new values', () => {
    const { diff } = risksOf('dev', (e) => (e.cluster.nodePools[1].max = 8));
    expect(diff.terraform).toEqual([
      expect.objectContaining({ change: 'changed', type: 'aws_eks_node_group', fields: [{ path: 'scaling_config.max_size', before: 5, after: 8 }] }),
    ]);
    expect(diff.kubernetes).toEqual([]);
  });

  it('reports Kubernetes objects added, removed and changed with field paths', () => {
    const { diff } = risksOf('dev', (e) => {
      e.namespaces = e.namespaces.filter((n: RawEnvironment) => n.name !== 'ci');
      e.apps = e.apps.filter((a: RawEnvironment) => a.namespace !== 'ci');
      e.namespaces[0].quota.pods = 300;
    });
    const byChange = (c: string) => diff.kubernetes.filter((k) => k.change === c);
    expect(byChange('removed').map((k) => k.id)).toContain('v1/Namespace//ci');
    expect(byChange('changed')).toEqual([
      expect.objectContaining({ id: 'v1/ResourceQuota/dev-center/compute', fields: [{ path: 'spec.hard.pods', before: '200', after: '300' }] }),
    ]);
  });

  it('flags node group instance type changes and AKS VM size changes as replacements', () => {
    expect(risksOf('dev', (e) => (e.cluster.nodePools[0].instanceType = 'm6i.2xlarge')).risks).toEqual([
      expect.objectContaining({ kind: 'replacement', reason: 'forces replacement of aws_eks_node_group: instance_types[0]' }),
    ]);
    const aks = risksOf('prod', (e) => (e.cluster.nodePools[1].instanceType = 'Standard_D16s_v5')).risks;
    expect(aks).toEqual([
      expect.objectContaining({ kind: 'replacement', reason: 'forces replacement of azurerm_kubernetes_cluster_node_pool: vm_size' }),
    ]);
  });

  it('flags a rename that would replace the EKS cluster', () => {
    const { risks } = risksOf('dev', (e) => (e.cluster.name = 'axiom-dev-2'));
    expect(risks.map((r) => r.reason)).toContainEqual(expect.stringMatching(/^forces replacement of aws_eks_cluster: name/));
  });

  it('flags a changed construct address as destroy-and-recreate', () => {
    const before = new Map([
      ['dev/terraform/cluster/cdk.tf.json', JSON.stringify({ resource: { aws_eks_cluster: { eks_cluster_A: { name: 'x' } } } })],
    ]);
    const after = new Map([
      ['dev/terraform/cluster/cdk.tf.json', JSON.stringify({ resource: { aws_eks_cluster: { platform_cluster_B: { name: 'x' } } } })],
    ]);
    const risks = assessRisks(diffTrees(before, after)[0], false);
    expect(risks).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ kind: 'destroy', reason: 'aws_eks_cluster is destroyed (critical: data or access is lost)' }),
        expect.objectContaining({
          kind: 'replacement',
          reason: 'renamed to cluster:aws_eks_cluster.platform_cluster_B: aws_eks_cluster would be destroyed and recreated (add a moved block)',
        }),
      ]),
    );
  });

  it('flags deletion of stateful objects: StatefulSets, Postgres clusters, Vault', () => {
    const { risks } = risksOf('onprem', (e) => (e.apps = e.apps.filter((a: RawEnvironment) => a.app !== 'llm-inference')));
    const deleted = risks.filter((r) => r.kind === 'stateful-deletion').map((r) => r.id);
    expect(deleted).toEqual(expect.arrayContaining(['apps/v1/StatefulSet/ai-platform/ollama', 'postgresql.cnpg.io/v1/Cluster/ai-platform/pgvector']));
    const vault = risksOf('onprem', (e) => {
      e.addons = e.addons.filter(
        (a: string) =>
          ![
            'vault',
            'velero',
            'kube-prometheus-stack',
            'grafana-operator',
            'tempo-operator',
            'opentelemetry-collector',
            'tempo',
            'loki',
            'loki-operator',
            'alloy',
          ].includes(a),
      );
      e.apps = [];
    }).risks;
    expect(vault.some((r) => r.kind === 'stateful-deletion' && r.id === 'argoproj.io/v1alpha1/Application/argocd/vault')).toBe(true);
  });

  it('flags image changes and any change to production', () => {
    const { risks } = risksOf('prod', (e) => (e.apps[0].images.api.tag = 'v0.30.0'), true);
    expect(risks.map((r) => r.kind).sort()).toEqual(['image-change', 'image-change', 'protected-environment']);
    expect(risks.find((r) => r.kind === 'image-change')!.reason).toMatch(/v0\.29\.0@sha256:.* → .*v0\.30\.0@sha256:/);
  });

  it('renders Markdown for a PR comment with risks first', () => {
    const { diff, risks } = risksOf('dev', (e) => (e.cluster.nodePools[0].instanceType = 'm6i.2xlarge'));
    const md = diffMarkdown({ base: 'origin/main', environments: [diff], risks });
    expect(md).toContain('| dev | +0 / -0 / ~1 | +0 / -0 / ~0 | 1 | 1 |');
    expect(md.indexOf('### ⚠️ Risks')).toBeLessThan(md.indexOf('### dev'));
    expect(md).toContain('  - `instance_types[0]`: `"m6i.xlarge"` → `"m6i.2xlarge"`');
  });
});

describe('npm run diff (CLI, real git)', () => {
  it('diffs the working tree against a revision, as Markdown and JSON, exit 2 on risk', () => {
    const repo = tmp();
    git(repo, 'init', '--quiet', '-b', 'main');
    fs.cpSync(path.join(REPO_ROOT, 'environments'), path.join(repo, 'environments'), { recursive: true });
    fs.cpSync(path.join(REPO_ROOT, 'dist'), path.join(repo, 'dist'), { recursive: true });
    git(repo, 'add', '-A');
    git(repo, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'base');
    const cli = (args: string[]) =>
      spawnSync(process.execPath, [path.join(REPO_ROOT, 'build/bin/diff.js'), '--base', 'HEAD', ...args], {
        cwd: repo,
        encoding: 'utf8',
        env: { ...process.env, NODE_OPTIONS: '' },
      });

    const clean = cli([]);
    expect(clean.status).toBe(0);
    expect(clean.stdout).toContain('No changes to the synthesized output.');

    const file = path.join(repo, 'environments', 'dev.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('instanceType: c6i.2xlarge', 'instanceType: c6i.4xlarge'));
    const risky = cli(['--format', 'json']);
    expect(risky.status).toBe(2);
    const report = JSON.parse(risky.stdout);
    expect(report.risks).toEqual([expect.objectContaining({ kind: 'replacement', environment: 'dev' })]);
    expect(cli(['--base', 'no-such-ref']).stderr).toMatch(/cannot read dist\/ at "no-such-ref"/);
  });
});

describe('npm run publish (real bare repositories)', () => {
  /** A bare GitOps repo with someone else's files in it, and a working copy to inspect it. */
  function gitopsRepo(): string {
    const bare = path.join(tmp(), 'gitops.git');
    git(path.dirname(bare), 'init', '--quiet', '--bare', '-b', 'main', bare);
    const seed = tmp();
    git(seed, 'clone', '--quiet', bare, 'w');
    const w = path.join(seed, 'w');
    fs.mkdirSync(path.join(w, 'envs', 'dev'), { recursive: true });
    fs.writeFileSync(path.join(w, 'README.md'), 'owned by the platform team\n');
    fs.writeFileSync(path.join(w, 'envs', 'dev', 'NOTES.md'), 'hand-written, not Parity’s\n');
    git(w, 'add', '-A');
    git(w, '-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '--quiet', '-m', 'seed');
    git(w, 'push', '--quiet', 'origin', 'HEAD:main');
    return bare;
  }
  const log = (bare: string) => git(bare, 'log', '--format=%s', 'main').split('\n');
  const show = (bare: string, file: string) => git(bare, 'show', `main:${file}`);
  const opts = (bare: string, env: string, extra: Partial<Parameters<typeof publish>[0]> = {}) => ({
    environment: env,
    source: path.join(REPO_ROOT, 'dist', env),
    repoURL: bare,
    branch: 'main',
    path: `envs/${env}`,
    sourceSha: 'abc1234',
    ...extra,
  });

  it('publishes once, then makes no commit when nothing changed', () => {
    const bare = gitopsRepo();
    const first = publish(opts(bare, 'dev'));
    expect(first).toMatchObject({ committed: true, attempts: 1 });
    expect(publish(opts(bare, 'dev'))).toMatchObject({ committed: false });
    expect(log(bare)).toEqual(['parity(dev): publish abc1234', 'seed']);
    expect(git(bare, 'log', '-1', '--format=%B', 'main')).toMatch(/source: abc1234/);
    expect(show(bare, 'envs/dev/manifests/namespaces.yaml')).toContain('kind: Namespace');
  });

  it('never touches files outside the managed paths, and removes files of deleted resources', () => {
    const bare = gitopsRepo();
    const source = path.join(tmp(), 'dev');
    fs.cpSync(path.join(REPO_ROOT, 'dist', 'dev'), source, { recursive: true });
    publish(opts(bare, 'dev', { source }));
    fs.rmSync(path.join(source, 'manifests', 'addons', 'velero.yaml'));
    publish(opts(bare, 'dev', { source, sourceSha: 'def5678' }));
    const files = git(bare, 'ls-tree', '-r', '--name-only', 'main').split('\n');
    expect(files).not.toContain('envs/dev/manifests/addons/velero.yaml');
    expect(files).toContain('envs/dev/NOTES.md');
    expect(show(bare, 'README.md')).toBe('owned by the platform team');
    expect(
      files
        .filter((f) => f.startsWith('envs/dev/'))
        .every((f) => f === 'envs/dev/NOTES.md' || (MANAGED_ENTRIES as readonly string[]).includes(f.split('/')[2])),
    ).toBe(true);
  });

  it('survives a push that lands in between: fetch, rebase, retry, both commits kept', () => {
    const bare = gitopsRepo();
    const result = publish(
      opts(bare, 'dev', {
        beforePush: (attempt) => {
          if (attempt === 1) publish(opts(bare, 'prod'));
        },
      }),
    );
    expect(result.attempts).toBe(2);
    expect(log(bare)).toEqual(['parity(dev): publish abc1234', 'parity(prod): publish abc1234', 'seed']);
  });

  it('re-applies its output when a concurrent publish of the same files conflicts', () => {
    const bare = gitopsRepo();
    const other = path.join(tmp(), 'dev');
    fs.cpSync(path.join(REPO_ROOT, 'dist', 'dev'), other, { recursive: true });
    fs.appendFileSync(path.join(other, 'README.md'), '\nan older synth\n');
    publish(
      opts(bare, 'dev', {
        beforePush: (attempt) => {
          if (attempt === 1) publish(opts(bare, 'dev', { source: other, sourceSha: 'old0000' }));
        },
      }),
    );
    expect(log(bare)).toEqual(['parity(dev): publish abc1234', 'parity(dev): publish old0000', 'seed']);
    expect(show(bare, 'envs/dev/README.md')).toBe(fs.readFileSync(path.join(REPO_ROOT, 'dist', 'dev', 'README.md'), 'utf8').trimEnd());
  });

  it('two concurrent publish processes to the same repository both land', async () => {
    const bare = gitopsRepo();
    const run = (env: string) =>
      new Promise<number>((resolve) => {
        const child = spawn(
          process.execPath,
          [path.join(REPO_ROOT, 'build/bin/publish.js'), '--env', env, '--repo-url', bare, '--source-sha', `sha-${env}`],
          {
            cwd: REPO_ROOT,
            env: { ...process.env, NODE_OPTIONS: '' },
            stdio: 'ignore',
          },
        );
        child.on('exit', (code) => resolve(code ?? 1));
      });
    // Both examples publish to gitops.path "." of this one repository, so the two runs race for the
    // same files: whichever pushes second must rebase (or re-apply) and still land.
    const [a, b] = await Promise.all([run('dev'), run('onprem')]);
    expect([a, b]).toEqual([0, 0]);
    expect(log(bare).sort()).toEqual(['parity(dev): publish sha-dev', 'parity(onprem): publish sha-onprem', 'seed'].sort());
  });
});
