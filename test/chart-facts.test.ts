import * as fs from 'fs';
import * as path from 'path';
import { examples, REPO_ROOT } from './helpers';

/** The upstream charts at the pinned versions (`shared/charts` beside the checkout; see its README for provenance). */
function sharedCharts(): string {
  for (let dir = path.dirname(REPO_ROOT); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'charts');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return candidate;
  }
}
const CHARTS = sharedCharts();

function filesUnder(dir: string): string[] {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) =>
      e.isDirectory()
        ? filesUnder(path.join(dir, e.name))
        : e.name.endsWith('.yaml') || e.name.endsWith('.yml') || e.name.endsWith('.tpl')
          ? [path.join(dir, e.name)]
          : [],
    );
}

describe('chart facts agree with the pinned upstream charts', () => {
  const charts = fs.existsSync(CHARTS) ? fs.readdirSync(CHARTS) : [];
  // Application name -> chart folder of the pinned version.
  const folders = new Map<string, string>();
  for (const model of examples().models) {
    for (const o of examples().objects.get(model.env.name) ?? []) {
      if (o.kind !== 'Application' || !o.spec?.source?.chart) continue;
      const folder = charts.find((c) => c === `${o.spec.source.chart}-${o.spec.source.targetRevision}`);
      if (folder) folders.set(o.metadata.name!, folder);
    }
  }

  it('finds the vendored charts of the shipped add-ons', () => {
    if (charts.length === 0) return console.warn(`skipped: no shared/charts beside this checkout (looked up to ${CHARTS})`);
    expect(folders.size).toBeGreaterThanOrEqual(12);
  });

  it('every CRD group an add-on declares is defined by its chart', () => {
    for (const model of examples().models) {
      for (const [app, facts] of model.platform.applicationFacts) {
        const folder = folders.get(app);
        if (!folder || !facts.crds) continue;
        const text = filesUnder(path.join(CHARTS, folder))
          .map((f) => fs.readFileSync(f, 'utf8'))
          .join('\n');
        // Charts whose CRDs are added at release time (cert-manager, External Secrets, Tailscale) or
        // registered by the agent at start (Cilium) have no CRD file in their source folder to compare with.
        if (!/kind: CustomResourceDefinition/.test(text)) continue;
        for (const crd of facts.crds) {
          expect({ app, group: crd.group, defined: new RegExp(`group: ["']?${crd.group.replace(/\./g, '\\.')}`).test(text) }).toEqual({
            app,
            group: crd.group,
            defined: true,
          });
        }
      }
    }
  });

  it('a chart workload declared privileged has host access or privileged containers in its chart', () => {
    for (const model of examples().models) {
      for (const [app, facts] of model.platform.applicationFacts) {
        const folder = folders.get(app);
        if (!folder) continue;
        // Tailscale's subnet-router proxies are created by the operator at run time, not by chart templates.
        const privileged = (facts.workloads ?? []).filter(
          (w) => w.podSecurity === 'privileged' && !(app === 'tailscale-operator' && w.name === 'connector-proxies'),
        );
        if (privileged.length === 0) continue;
        const text = filesUnder(path.join(CHARTS, folder))
          .map((f) => fs.readFileSync(f, 'utf8'))
          .join('\n');
        expect({ app, hostAccess: /hostNetwork: true|hostPID: true|hostPath:|privileged: true|hostNetwork:/.test(text) }).toEqual({
          app,
          hostAccess: true,
        });
      }
    }
  });
});
