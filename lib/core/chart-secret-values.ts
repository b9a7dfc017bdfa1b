/**
 * Vendor charts whose values contract takes secrets as plain values (the axion-gen guide: `--set
 * oidc.clientSecret=...`). Argo CD cannot read Helm values from a Secret, and Git must never hold the
 * values, so the chart is rendered by a config-management plugin next to Argo CD's repo-server: it
 * pulls the pinned OCI chart, renders it with the typed values from the Application, and reads each
 * secret value with `helm --set-file` from a Secret (synced from Vault) mounted into the plugin only.
 * Names shared by the Argo CD add-on (the plugin), the Application construct and the apps live here.
 */

/** The plugin's name in argocd-cmp-cm and in each Application's `source.plugin.name`. */
export const SECRET_VALUES_PLUGIN = 'helm-secret-values';
/** Where the plugin container finds each Application's secret values: `<dir>/<application>/<key>`. */
export const CHART_SECRETS_DIR = '/home/argocd/chart-secrets';
/** Plugin environment (Argo CD prefixes each with ARGOCD_ENV_ in the plugin). */
export const PLUGIN_ENV = {
  repository: 'CHART_REPOSITORY',
  chart: 'CHART_NAME',
  version: 'CHART_VERSION',
  values: 'HELM_VALUES',
  secretValues: 'SECRET_VALUES',
} as const;

/** One secret value of a chart: the values path (`oidc.clientSecret`) and the key of the mounted Secret that holds it. */
export interface ChartSecretValue {
  readonly path: string;
  readonly key: string;
}

/**
 * A Secret in Argo CD's namespace that the plugin mounts for one Application, synced from the app's
 * own Vault secrets: each key from a key (`property`) of one of them.
 */
export interface ChartSecretMount {
  readonly application: string;
  readonly secret: string;
  readonly values: ReadonlyArray<{ readonly key: string; readonly vaultSecret: string; readonly property: string }>;
}

/** A Secret key for a values path: Secret keys allow [-._a-zA-Z0-9], so `api.apiKeys[0].key` becomes `api.apiKeys.0.key`. */
export function secretKeyForPath(valuePath: string): string {
  return valuePath.replace(/\[(\d+)\]/g, '.$1');
}

/**
 * The plugin's `generate` script (POSIX sh, run in the repo-server's argocd image, which has helm):
 * pull, then render with the Application's values and one `--set-file` per secret value. Everything
 * it writes goes to a fresh temporary directory; manifests go to stdout, progress to stderr.
 */
export const SECRET_VALUES_GENERATE = [
  // No globbing: values paths such as api.apiKeys[0].key are words, not patterns.
  'set -euf',
  'work=$(mktemp -d)',
  `helm pull "oci://$ARGOCD_ENV_${PLUGIN_ENV.repository}/$ARGOCD_ENV_${PLUGIN_ENV.chart}" --version "$ARGOCD_ENV_${PLUGIN_ENV.version}" --untar --untardir "$work" >&2`,
  `printf '%s\\n' "$ARGOCD_ENV_${PLUGIN_ENV.values}" > "$work/values.yaml"`,
  'set --',
  `for pair in \${ARGOCD_ENV_${PLUGIN_ENV.secretValues}:-}; do`,
  `  set -- "$@" --set-file "\${pair%%=*}=${CHART_SECRETS_DIR}/$ARGOCD_APP_NAME/\${pair#*=}"`,
  'done',
  `helm template "$ARGOCD_APP_NAME" "$work/$ARGOCD_ENV_${PLUGIN_ENV.chart}" --namespace "$ARGOCD_APP_NAMESPACE" --include-crds -f "$work/values.yaml" "$@"`,
].join('\n');
