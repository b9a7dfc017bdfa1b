import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** What Parity writes into an environment directory; anything else there belongs to someone else. */
export const MANAGED_ENTRIES = [
  'README.md',
  'DEPLOY.md',
  'manifests',
  'terraform',
  'inventory',
  'kubeadm',
  'cloud-init',
  'images.txt',
  'charts.txt',
] as const;

export interface PublishOptions {
  readonly environment: string;
  /** dist/<env> to publish. */
  readonly source: string;
  readonly repoURL: string;
  readonly branch: string;
  /** Directory inside the GitOps repository that receives the environment. */
  readonly path: string;
  /** Commit of the Parity sources the output was synthesized from. */
  readonly sourceSha: string;
  /** @default 5 */
  readonly maxAttempts?: number;
  /** Called before each push attempt (tests use it to provoke a concurrent push). */
  readonly beforePush?: (attempt: number) => void;
}

export interface PublishResult {
  readonly committed: boolean;
  readonly commit?: string;
  readonly attempts: number;
  readonly summary: string;
}

function git(cwd: string, args: string[], input?: string): string {
  return execFileSync('git', args, {
    cwd,
    encoding: 'utf8',
    input,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
  }).trim();
}

function tryGit(cwd: string, args: string[]): boolean {
  try {
    git(cwd, args);
    return true;
  } catch {
    return false;
  }
}

const IDENTITY = ['-c', 'user.name=Parity', '-c', 'user.email=parity@localhost', '-c', 'commit.gpgsign=false'];

/** Replaces the managed entries of `target` with those of `source`; other files stay as they are. */
function syncManaged(source: string, target: string): void {
  fs.mkdirSync(target, { recursive: true });
  for (const entry of MANAGED_ENTRIES) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
  for (const entry of fs.readdirSync(source)) {
    if (!(MANAGED_ENTRIES as readonly string[]).includes(entry))
      throw new Error(`dist entry "${entry}" is not a managed path; add it to MANAGED_ENTRIES first`);
    fs.cpSync(path.join(source, entry), path.join(target, entry), { recursive: true });
  }
}

/** Stages the managed entries and commits them; false when nothing changed. */
function commitManaged(clone: string, opts: PublishOptions): { committed: boolean; summary: string } {
  // The clone is fresh and only managed entries were rewritten, so staging the directory stages exactly those.
  git(clone, ['add', '--all', '--', opts.path]);
  if (tryGit(clone, ['diff', '--cached', '--quiet'])) return { committed: false, summary: 'no changes' };
  const summary = git(clone, ['diff', '--cached', '--shortstat']);
  const base = opts.path === '.' ? '' : opts.path;
  const changedEntries = [
    ...new Set(
      git(clone, ['diff', '--cached', '--name-only'])
        .split('\n')
        .map((f) => path.posix.relative(base, f).split('/')[0]),
    ),
  ].sort();
  const message = `parity(${opts.environment}): publish ${opts.sourceSha}\n\n${summary}\nchanged: ${changedEntries.join(', ')}\nsource: ${opts.sourceSha}\n`;
  git(clone, [...IDENTITY, 'commit', '--quiet', '--file', '-'], message);
  return { committed: true, summary };
}

/**
 * Publishes dist/<env> into the environment's GitOps repository: one commit carrying the source SHA,
 * none when nothing changed, only the managed entries touched. A push rejected by a concurrent push is
 * retried after fetch + rebase; if the rebase conflicts (someone published the same files), our
 * output is re-applied on top of theirs, so both commits stay in the history.
 */
export function publish(opts: PublishOptions): PublishResult {
  if (!fs.existsSync(opts.source)) throw new Error(`nothing to publish: ${opts.source} does not exist (run npm run synth)`);
  if (path.isAbsolute(opts.path) || opts.path.split('/').includes('..'))
    throw new Error(`gitops.path "${opts.path}" must stay inside the repository`);
  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'parity-publish-'));
  const clone = path.join(scratch, 'repo');
  try {
    if (!tryGit(scratch, ['clone', '--quiet', '--branch', opts.branch, '--single-branch', opts.repoURL, clone])) {
      // A new repository or branch: start the branch from nothing.
      git(scratch, ['clone', '--quiet', opts.repoURL, clone]);
      git(clone, ['checkout', '--quiet', '--orphan', opts.branch]);
      tryGit(clone, ['rm', '-r', '--quiet', '--cached', '.']);
    }
    const dir = path.join(clone, opts.path);
    syncManaged(opts.source, dir);
    const first = commitManaged(clone, opts);
    if (!first.committed) return { committed: false, attempts: 0, summary: first.summary };

    const max = opts.maxAttempts ?? 5;
    for (let attempt = 1; attempt <= max; attempt++) {
      opts.beforePush?.(attempt);
      if (tryGit(clone, ['push', '--quiet', 'origin', `HEAD:refs/heads/${opts.branch}`])) {
        return { committed: true, commit: git(clone, ['rev-parse', 'HEAD']), attempts: attempt, summary: first.summary };
      }
      git(clone, ['fetch', '--quiet', 'origin', opts.branch]);
      if (!tryGit(clone, [...IDENTITY, 'rebase', '--quiet', `origin/${opts.branch}`])) {
        tryGit(clone, ['rebase', '--abort']);
        git(clone, ['reset', '--quiet', '--hard', `origin/${opts.branch}`]);
        syncManaged(opts.source, dir);
        if (!commitManaged(clone, opts).committed) return { committed: false, attempts: attempt, summary: 'no changes after the concurrent publish' };
      }
      execFileSync('sleep', [String(0.1 * attempt)]);
    }
    throw new Error(`could not push ${opts.environment} to ${opts.repoURL} (${opts.branch}) after ${max} attempts`);
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
}
