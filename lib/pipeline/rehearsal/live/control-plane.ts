import { spawn, spawnSync } from 'child_process';
import { randomInt } from 'crypto';
import * as net from 'net';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { REPO_ROOT } from '../../../core/paths';
import { Kubectl } from './kubectl';

const LAUNCHER = path.join(REPO_ROOT, 'scripts', 'envtest');

/** Where the control-plane binaries are, or why there are none. */
export type Assets = { readonly dir: string } | { readonly missing: string };

/**
 * The Kubernetes binaries (etcd, kube-apiserver, kube-controller-manager, kube-scheduler, kubectl):
 * `KUBEBUILDER_ASSETS` first, as controller-runtime's envtest reads it, else the copy beside the repository.
 */
export function findAssets(): Assets {
  const fromEnv = process.env.KUBEBUILDER_ASSETS;
  const howTo =
    'set KUBEBUILDER_ASSETS to the binaries of `setup-envtest use 1.32 --bin-dir <dir>`, or place the shared envtest beside the repository';
  if (fromEnv)
    return fs.existsSync(path.join(fromEnv, 'kube-apiserver'))
      ? { dir: fromEnv }
      : { missing: `KUBEBUILDER_ASSETS=${fromEnv} has no kube-apiserver: ${howTo}` };
  const script = path.resolve(REPO_ROOT, '..', 'shared', 'envtest', 'assets.sh');
  if (!fs.existsSync(script)) {
    return { missing: `no Kubernetes control-plane binaries: ${howTo}` };
  }
  const r = spawnSync(script, { encoding: 'utf8' });
  const dir = r.stdout.trim().split('\n').pop() ?? '';
  return r.status === 0 && dir ? { dir } : { missing: `${script} failed: ${r.stderr.trim()}` };
}

/** Control planes started by this process that are not stopped yet, stopped on exit whatever happens. */
const running = new Set<ControlPlane>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => running.forEach((p) => p.stopSync()));
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      running.forEach((p) => p.stopSync());
      process.exit(130);
    });
  }
}

/**
 * Loopback ports handed to the planes of this process, so that planes started side by side never pick
 * the same one: each launcher checks a port is free before its component binds it, and two launchers
 * checking at once could both find the same port free (etcd then fails with "address already in use").
 */
const reservedPorts = new Set<number>();
const PORT_NAMES = ['ETCD_PORT', 'ETCD_PEER_PORT', 'API_PORT', 'KCM_PORT', 'SCHED_PORT'] as const;

function listenable(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A free loopback port not handed out yet, from 20000-31999 (below Linux's ephemeral range, as the launcher picks). */
async function reservePort(): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20000 + randomInt(12000);
    if (reservedPorts.has(port)) continue;
    reservedPorts.add(port);
    if (await listenable(port)) return port;
    reservedPorts.delete(port);
  }
  throw new Error('no free loopback port found for the control plane');
}

export interface ControlPlaneOptions {
  readonly assets: string;
  /** The environment's Service range: manifests may pin ClusterIPs inside it. */
  readonly serviceCidr: string;
}

/** A loopback-only etcd, kube-apiserver, kube-controller-manager (no node lifecycle) and kube-scheduler. */
export class ControlPlane {
  /** Seconds from spawn to every component healthy, as the launcher measured it. */
  readonly startupSeconds: number;
  readonly kubectl: Kubectl;
  /** Process ids of the components, for the check that none outlives the plane. */
  readonly pids: ReadonlyArray<number>;
  private stopped = false;

  private constructor(
    readonly runDir: string,
    assets: string,
    private readonly ports: ReadonlyArray<number>,
  ) {
    this.startupSeconds = Number(fs.readFileSync(path.join(runDir, 'startup-seconds'), 'utf8'));
    this.pids = fs
      .readFileSync(path.join(runDir, 'pids'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => Number(l.split(' ')[1]));
    this.kubectl = new Kubectl(path.join(assets, 'kubectl'), path.join(runDir, 'admin.kubeconfig'), path.join(runDir, 'kubectl-cache'));
  }

  static async start(opts: ControlPlaneOptions): Promise<ControlPlane> {
    installExitHook();
    const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-envtest-'));
    const ports: number[] = [];
    for (const _ of PORT_NAMES) ports.push(await reservePort());
    const env = {
      ...process.env,
      ...Object.fromEntries(PORT_NAMES.map((name, i) => [`ENVTEST_${name}`, String(ports[i])])),
      ENVTEST_BIN: opts.assets,
      ENVTEST_SERVICE_CIDR: opts.serviceCidr,
      // Certificates are reused across runs (keyed by the Service IP): about 2 s less per start.
      ENVTEST_PKI_CACHE: path.join(os.tmpdir(), 'parity-envtest-pki'),
    };
    const { code, stderr } = await new Promise<{ code: number; stderr: string }>((resolve) => {
      const child = spawn(path.join(LAUNCHER, 'start.sh'), [runDir], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.stdout.resume();
      child.on('close', (c) => resolve({ code: c ?? 1, stderr: err }));
    });
    if (code !== 0) {
      fs.rmSync(runDir, { recursive: true, force: true });
      for (const p of ports) reservedPorts.delete(p);
      throw new Error(`the control plane did not start:\n${stderr.trim()}`);
    }
    const plane = new ControlPlane(runDir, opts.assets, ports);
    running.add(plane);
    return plane;
  }

  /**
   * Kills every component and removes the run directory. The plane is thrown away with its etcd data,
   * so there is nothing to flush: KILL saves the 4 s a graceful shutdown takes. The launcher's stop.sh
   * then checks nothing is left and removes the directories.
   */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    running.delete(this);
    this.kill();
    await new Promise<void>((resolve) => spawn(path.join(LAUNCHER, 'stop.sh'), [this.runDir], { stdio: 'ignore' }).on('close', () => resolve()));
    for (const p of this.ports) reservedPorts.delete(p);
  }

  private kill(): void {
    for (const pid of this.pids) {
      try {
        if (isAlive(pid)) process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  }

  /** For the exit hook, where nothing asynchronous runs any more. */
  stopSync(): void {
    if (this.stopped) return;
    this.stopped = true;
    running.delete(this);
    this.kill();
    spawnSync(path.join(LAUNCHER, 'stop.sh'), [this.runDir], { stdio: 'ignore' });
  }
}

/** Whether a process is still running (not a zombie). */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
    return state !== 'Z' && state !== 'X';
  } catch {
    return false;
  }
}
