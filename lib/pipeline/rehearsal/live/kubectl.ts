import { spawn } from 'child_process';

export interface KubectlResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** kubectl against one control plane; every call is a process, so callers batch or run calls side by side. */
export class Kubectl {
  constructor(
    private readonly binary: string,
    private readonly kubeconfig: string,
    private readonly cacheDir: string,
  ) {}

  run(args: ReadonlyArray<string>, input?: string): Promise<KubectlResult> {
    return new Promise((resolve) => {
      const child = spawn(this.binary, [...args, `--cache-dir=${this.cacheDir}`], {
        env: { ...process.env, KUBECONFIG: this.kubeconfig },
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
      child.stdin.end(input ?? '');
    });
  }

  /** Reads objects as JSON (a List's items). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- kubectl's JSON of several kinds; readers check each field
  async get(resource: string, ...flags: string[]): Promise<any[]> {
    const r = await this.run(['get', resource, '-A', '-o', 'json', ...flags]);
    if (r.code !== 0) throw new Error(`kubectl get ${resource}: ${r.stderr.trim()}`);
    return JSON.parse(r.stdout).items ?? [];
  }
}
