import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import Ajv from 'ajv';
import { parse, parseAllDocuments } from 'yaml';
import { restoreDrill, runRestoreDrill } from '../lib/pipeline/deploy/restore-drill';
import { DeployRuntime } from '../lib/pipeline/deploy/run';
import { REPO_ROOT, examples } from './helpers';

/** A runtime that records the commands it is asked to run and answers with the given exit codes. */
function recorder(codes: Record<string, number> = {}) {
  const calls: string[] = [];
  const lines: string[] = [];
  const rt: DeployRuntime = {
    env: {},
    run: async (command, args) => {
      const line = [command, ...args].join(' ');
      calls.push(line);
      return Object.entries(codes).find(([k]) => line.includes(k))?.[1] ?? 0;
    },
    background: () => Promise.reject(new Error('unused')),
    log: (l) => lines.push(l),
  };
  return { rt, calls, lines };
}

const onprem = () => {
  const model = examples().models.find((m) => m.env.name === 'onprem')!;
  return restoreDrill(model.env, examples().objects.get('onprem')!, { now: new Date('2026-12-02T10:30:00Z') });
};

describe('the restore drill (npm run restore-drill)', () => {
  it("restores the latest backup of the daily schedule into scratch copies of the apps' namespaces, nothing cluster-wide", () => {
    const drill = onprem();
    expect(drill.name).toBe('drill-20261202103000');
    expect(drill.schedule).toBe('velero-daily');
    expect(drill.mappings).toEqual([
      { from: 'ai-platform', to: 'ai-platform-drill' },
      { from: 'axion-gen', to: 'axion-gen-drill' },
    ]);
    // A valid Restore for the Velero the environment runs (the CRD of its pinned chart).
    const crd = parseAllDocuments(fs.readFileSync(path.join(REPO_ROOT, 'vendor/charts/velero-8.2.0/crds/restores.yaml'), 'utf8'))
      .map((d) => d.toJS())
      .find((d) => d?.kind === 'CustomResourceDefinition');
    const validate = new Ajv({ strict: false, allErrors: true, validateFormats: false }).compile(
      crd.spec.versions.find((v: any) => v.name === 'v1').schema.openAPIV3Schema,
    );
    expect(validate(drill.manifest) ? [] : validate.errors).toEqual([]);
    expect(drill.manifest).toMatchObject({
      metadata: { namespace: 'velero' },
      spec: { scheduleName: 'velero-daily', includeClusterResources: false, restorePVs: true, namespaceMapping: { 'axion-gen': 'axion-gen-drill' } },
    });
  });

  it('creates the Restore, waits for Velero and for every restored pod, then removes the scratch namespaces', async () => {
    const drill = onprem();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'drill-')), 'restore.yaml');
    const { rt, calls, lines } = recorder();
    expect(await runRestoreDrill(drill, rt, { manifestFile: file })).toBe(0);
    expect(parse(fs.readFileSync(file, 'utf8'))).toEqual(drill.manifest);
    expect(calls).toEqual([
      `kubectl create -f ${file}`,
      'kubectl -n velero wait --for=jsonpath={.status.phase}=Completed restore/drill-20261202103000 --timeout=60m',
      'kubectl -n ai-platform-drill wait --for=condition=Ready pod --all --timeout=15m',
      'kubectl -n axion-gen-drill wait --for=condition=Ready pod --all --timeout=15m',
      'kubectl delete namespace ai-platform-drill --ignore-not-found --wait=false',
      'kubectl delete namespace axion-gen-drill --ignore-not-found --wait=false',
    ]);
    expect(lines.at(-1)).toBe('restore drill drill-20261202103000 passed: every restored pod is Ready');
  });

  it('fails with the step and how to inspect it when a restored copy does not come up, and still cleans up unless asked to keep it', async () => {
    const drill = onprem();
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'drill-')), 'restore.yaml');
    const failing = recorder({ 'ai-platform-drill wait': 1 });
    expect(await runRestoreDrill(drill, failing.rt, { manifestFile: file })).toBe(1);
    expect(failing.calls.some((c) => c.startsWith('kubectl -n axion-gen-drill wait'))).toBe(false);
    expect(failing.calls.filter((c) => c.startsWith('kubectl delete namespace'))).toHaveLength(2);
    expect(failing.lines).toContain('inspect it with: kubectl -n velero get restore/drill-20261202103000 -o yaml');
    const kept = recorder();
    await runRestoreDrill(drill, kept.rt, { manifestFile: file, keep: true });
    expect(kept.calls.some((c) => c.startsWith('kubectl delete'))).toBe(false);
  });

  it('refuses an environment without Velero, and a namespace the environment does not have', () => {
    const dev = examples().models.find((m) => m.env.name === 'dev')!;
    const noVelero = examples()
      .objects.get('dev')!
      .filter((o) => !(o.kind === 'Application' && o.metadata.name === 'velero'));
    expect(() => restoreDrill(dev.env, noVelero, { now: new Date() })).toThrow(
      'environment dev: addons has no "velero": there are no backups to restore',
    );
    expect(() => restoreDrill(dev.env, examples().objects.get('dev')!, { namespaces: ['nope'], now: new Date() })).toThrow(
      /--namespace\[0\]: found "nope"; expected a namespace of dev \(/,
    );
  });
});
