import type { SecretLintCoreConfig, SecretLintCoreResult } from '@secretlint/types' with { 'resolution-mode': 'import' };
import { Finding } from './finding';

export const SECRET_RULE_PREFIX = 'SECRET';

interface SecretlintModules {
  lintSource: (args: {
    source: { content: string; filePath: string; contentType: 'text' };
    options: { config: SecretLintCoreConfig; maskSecrets: boolean; noPhysicFilePath: boolean };
  }) => Promise<SecretLintCoreResult>;
  config: SecretLintCoreConfig;
}

let modules: Promise<SecretlintModules> | undefined;

function secretlint(): Promise<SecretlintModules> {
  // secretlint is ESM-only; native dynamic import, kept as import() by tsc's node16 output.
  modules ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend'), import('@secretlint/profiler')]).then(
    ([core, preset, profiler]) => {
      silenceProfiler(profiler.secretLintProfiler);
      return {
        lintSource: core.lintSource,
        config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator }] },
      };
    },
  );
  return modules;
}

/**
 * secretlint 11.7 marks every rule run in the process-wide performance timeline, and its profiler's
 * observer keeps every mark and searches them all on each new one: quadratic in the number of files
 * scanned (30 s of a 52 s synth of 100 environments). Parity never reads those timings, so marking
 * becomes a no-op; the scan itself is untouched. `test/scale.test.ts` pins this: scanning leaves
 * no mark in the timeline and no entry in the profiler.
 */
export function silenceProfiler(profiler: { mark(marker: unknown): void }): void {
  profiler.mark = () => undefined;
}

/**
 * Scans synthesized files with secretlint's recommended preset (cloud keys, private keys, tokens,
 * basic-auth URLs, ...). Secret values are masked in the findings so the report itself leaks nothing.
 */
export async function scanForSecrets(files: ReadonlyMap<string, string>, environmentOf: (file: string) => string): Promise<Finding[]> {
  const { lintSource, config } = await secretlint();
  const results = await Promise.all(
    [...files].map(([file, content]) =>
      lintSource({ source: { content, filePath: file, contentType: 'text' }, options: { config, maskSecrets: true, noPhysicFilePath: true } }).then(
        (r) => ({ file, r }),
      ),
    ),
  );
  return results.flatMap(({ file, r }) =>
    r.messages.map((m) => ({
      ruleId: `${SECRET_RULE_PREFIX}-${m.ruleId.replace(/^@secretlint\/secretlint-rule-/, '').toUpperCase()}`,
      severity: 'error' as const,
      environment: environmentOf(file),
      target: file,
      path: `line ${m.loc.start.line}`,
      message: m.message,
      hint: 'never put a secret value in an environment file or construct: reference Vault (ExternalSecret) or a sensitive Terraform variable',
      file,
    })),
  );
}
