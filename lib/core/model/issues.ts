/** One thing wrong with an environment file: where, what was found, what is expected. */
export interface ConfigIssue {
  readonly environment: string;
  /** Dotted field path, e.g. `cluster.nodePools[2].min`. */
  readonly path: string;
  readonly found: string;
  readonly expected: string;
}

export function formatPath(path: ReadonlyArray<PropertyKey>): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? String(p) : `.${String(p)}`)).join('') || '(root)';
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.environment}: ${issue.path}: found ${issue.found}; expected ${issue.expected}`;
}

/** Thrown when one or more environments are invalid; carries every issue, not just the first. */
export class ConfigError extends Error {
  constructor(readonly issues: ReadonlyArray<ConfigIssue>) {
    super(
      `${issues.length} problem${issues.length === 1 ? '' : 's'} in the environment files:\n` + issues.map((i) => `  - ${formatIssue(i)}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}

/** Short, single-line rendering of a value found in the input. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const s = JSON.stringify(value);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** Reports the second and later occurrence of each name. */
export function duplicates<T>(items: ReadonlyArray<T>, key: (t: T) => string): Array<{ index: number; value: string }> {
  const seen = new Set<string>();
  const out: Array<{ index: number; value: string }> = [];
  items.forEach((item, index) => {
    const value = key(item);
    if (seen.has(value)) out.push({ index, value });
    seen.add(value);
  });
  return out;
}
