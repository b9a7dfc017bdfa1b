import * as fs from 'fs';
import { K8sObject } from '../../core/k8s-objects';
import { Environment } from '../../core/model/schema';
import { toYaml } from '../../core/util/serialize';
import { DeployRuntime } from './run';

/** A restore of the latest backup of some namespaces into scratch copies, checked and then removed. */
export interface RestoreDrill {
  /** Name of the Restore object, unique per run. */
  readonly name: string;
  /** Velero's namespace (where its Restore objects live). */
  readonly veleroNamespace: string;
  /** The Schedule whose latest backup is restored. */
  readonly schedule: string;
  /** Each namespace and the scratch namespace it is restored into. */
  readonly mappings: ReadonlyArray<{ readonly from: string; readonly to: string }>;
  readonly manifest: object;
}

const SCRATCH_SUFFIX = '-drill';

/**
 * The drill for an environment, read from its synthesized objects: Velero's Application names the
 * namespace and the schedules. By default the namespaces of the environment's apps are restored.
 */
export function restoreDrill(
  env: Environment,
  objects: ReadonlyArray<K8sObject>,
  opts: { namespaces?: ReadonlyArray<string>; now: Date },
): RestoreDrill {
  const velero = objects.find((o) => o.kind === 'Application' && o.metadata.name === 'velero');
  if (!velero) throw new Error(`environment ${env.name}: addons has no "velero": there are no backups to restore`);
  const veleroNamespace: string = velero.spec.destination.namespace;
  const schedules = Object.keys(velero.spec.source.helm?.valuesObject?.schedules ?? {}).sort();
  if (schedules.length === 0) throw new Error(`environment ${env.name}: Velero has no schedule, so no backup to restore`);
  // The chart names each Schedule <release>-<key>.
  const schedule = `${velero.spec.source.helm.releaseName ?? 'velero'}-${schedules[0]}`;
  const declared = [...new Set(env.apps.map((a) => a.namespace))].sort();
  const namespaces = opts.namespaces?.length ? [...opts.namespaces] : declared;
  for (const [i, ns] of namespaces.entries()) {
    if (!env.namespaces.some((n) => n.name === ns))
      throw new Error(`--namespace[${i}]: found "${ns}"; expected a namespace of ${env.name} (${env.namespaces.map((n) => n.name).join(', ')})`);
    if (ns.length + SCRATCH_SUFFIX.length > 63) throw new Error(`--namespace[${i}]: "${ns}" is too long for a scratch copy "${ns}${SCRATCH_SUFFIX}"`);
  }
  if (namespaces.length === 0) throw new Error(`environment ${env.name}: no app namespaces to restore; name some with --namespace`);
  const stamp = opts.now.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  const name = `drill-${stamp}`;
  const mappings = namespaces.map((from) => ({ from, to: `${from}${SCRATCH_SUFFIX}` }));
  const manifest = {
    apiVersion: 'velero.io/v1',
    kind: 'Restore',
    metadata: { name, namespace: veleroNamespace, labels: { 'app.kubernetes.io/managed-by': 'parity', 'parity.dev/restore-drill': 'true' } },
    spec: {
      scheduleName: schedule,
      includedNamespaces: namespaces,
      namespaceMapping: Object.fromEntries(mappings.map((m) => [m.from, m.to])),
      restorePVs: true,
      // Cluster-scoped objects (CRDs, ClusterRoles) belong to the running platform: not touched.
      includeClusterResources: false,
    },
  };
  return { name, veleroNamespace, schedule, mappings, manifest };
}

/**
 * Runs the drill against the cluster kubectl points at: creates the Restore, waits for Velero to finish
 * it, waits for every restored pod to be Ready, and removes the scratch namespaces (unless `keep`).
 * Resolves to the exit code: 0 only when the restored copies came up.
 */
export async function runRestoreDrill(
  drill: RestoreDrill,
  rt: DeployRuntime,
  opts: { manifestFile: string; keep?: boolean; restoreTimeout?: string; podsTimeout?: string },
): Promise<number> {
  fs.writeFileSync(opts.manifestFile, toYaml(drill.manifest));
  rt.log(`restore drill ${drill.name}: the latest backup of schedule ${drill.schedule} into ${drill.mappings.map((m) => m.to).join(', ')}`);
  const steps: Array<[string, string[]]> = [
    ['kubectl', ['create', '-f', opts.manifestFile]],
    [
      'kubectl',
      [
        '-n',
        drill.veleroNamespace,
        'wait',
        '--for=jsonpath={.status.phase}=Completed',
        `restore/${drill.name}`,
        `--timeout=${opts.restoreTimeout ?? '60m'}`,
      ],
    ],
    ...drill.mappings.map((m): [string, string[]] => [
      'kubectl',
      ['-n', m.to, 'wait', '--for=condition=Ready', 'pod', '--all', `--timeout=${opts.podsTimeout ?? '15m'}`],
    ]),
  ];
  let code = 0;
  for (const [command, args] of steps) {
    code = await rt.run(command, args);
    if (code !== 0) {
      rt.log(`restore drill ${drill.name} failed at: ${command} ${args.join(' ')}`);
      rt.log(`inspect it with: kubectl -n ${drill.veleroNamespace} get restore/${drill.name} -o yaml`);
      break;
    }
  }
  if (opts.keep) rt.log(`kept ${drill.mappings.map((m) => m.to).join(', ')} for inspection`);
  else for (const m of drill.mappings) await rt.run('kubectl', ['delete', 'namespace', m.to, '--ignore-not-found', '--wait=false']);
  if (code === 0) rt.log(`restore drill ${drill.name} passed: every restored pod is Ready`);
  return code;
}
