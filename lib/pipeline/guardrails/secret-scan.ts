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
  modules ??= Promise.all([import('@secretlint/core'), import('@secretlint/secretlint-rule-preset-recommend')]).then(([core, preset]) => ({
    lintSource: core.lintSource,
    config: { rules: [{ id: '@secretlint/secretlint-rule-preset-recommend', rule: preset.creator }] },
  }));
  return modules;
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
