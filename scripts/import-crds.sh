#!/usr/bin/env bash
# Regenerates imports/ from the vendored CRDs in ../shared/crds, offline. CRDs of one API group are
# concatenated first: `cdk8s import` writes one file per group and would keep only the last CRD.
set -euo pipefail
cd "$(dirname "$0")/.."
crds=${CRDS_DIR:-../shared/crds}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
# A CRD the pinned chart ships (vendor/charts/*/crds/) wins over the loose copy: its version is the one deployed.
crd_source() {
  local name; name=$(basename "$1")
  local from_chart; from_chart=$(ls vendor/charts/*/crds/"$name" 2>/dev/null | head -1 || true)
  echo "${from_chart:-$1}"
}
# CRDs the loose set lacks, taken from the pinned chart or the pinned operator release only (see the
# README's vendored table); copied into imports/crds as <group>_<plural>.yaml.
chart_only=(
  vendor/charts/cert-manager-v1.16.2/crds/cert-manager.io_issuers.yaml
  vendor/charts/external-secrets-0.18.2/crds/generators.external-secrets.io_vaultdynamicsecrets.yaml
  vendor/keycloak-operator-26.0.0/k8s.keycloak.org_keycloaks.yaml
  vendor/keycloak-operator-26.0.0/k8s.keycloak.org_keycloakrealmimports.yaml
  vendor/charts/redis-operator-0.25.0/crds/redis.redis.opstreelabs.in_redisreplications.yaml
  vendor/charts/redis-operator-0.25.0/crds/redis.redis.opstreelabs.in_redissentinels.yaml
  vendor/charts/grafana-operator-5.24.0/crds/grafana.integreatly.org_grafanas.yaml
  vendor/charts/grafana-operator-5.24.0/crds/grafana.integreatly.org_grafanadatasources.yaml
  vendor/charts/grafana-operator-5.24.0/crds/grafana.integreatly.org_grafanadashboards.yaml
  vendor/tempo-operator-0.22.0/tempo.grafana.com_tempomonolithics.yaml
  vendor/loki-operator-0.11.0/loki.grafana.com_lokistacks.yaml
  vendor/charts/traefik-33.2.1/crds/gateway.networking.k8s.io_gatewayclasses.yaml
  vendor/charts/traefik-33.2.1/crds/gateway.networking.k8s.io_gateways.yaml
  vendor/charts/traefik-33.2.1/crds/gateway.networking.k8s.io_httproutes.yaml
  vendor/charts/traefik-33.2.1/crds/traefik.io_middlewares.yaml
  vendor/cilium-1.16/cilium.io_ciliumloadbalancerippools.yaml
  vendor/cilium-1.16/cilium.io_ciliuml2announcementpolicies.yaml
)
for file in "$crds"/*.yaml "${chart_only[@]}"; do
  group=$(basename "$file" | sed 's/_.*//')
  { cat "$(crd_source "$file")"; printf '\n---\n'; } >> "$tmp/$group.yaml"
done
for grouped in "$tmp"/*.yaml; do
  npx cdk8s import --no-check-upgrade --language typescript --output imports "$grouped" > /dev/null
done
# `cdk8s import` records each source in cdk8s.yaml: these are temporary files, and imports/ is the record.
sed -i '/^imports:/,$d' cdk8s.yaml
ls imports
# Keep the CRDs themselves too: the guardrails validate custom resources against their openAPIV3Schema.
# (go-regexp.js, the validators' RE2 shim, lives here too and is kept.)
mkdir -p imports/crds && rm -f imports/crds/*.yaml && cp "$crds"/README.md imports/crds/
for file in "$crds"/*.yaml "${chart_only[@]}"; do cp "$(crd_source "$file")" imports/crds/; done
{
  printf '\nTaken from the pinned chart instead (vendor/charts, same file name), so the CRD is the version deployed:\n\n'
  for file in "$crds"/*.yaml; do
    src=$(crd_source "$file")
    if [[ "$src" != "$file" ]]; then printf -- "- %s: %s\n" "$(basename "$file")" "$src"; fi
  done
  for file in "${chart_only[@]}"; do printf -- "- %s: %s (no loose copy)\n" "$(basename "$file")" "$file"; done
} >> imports/crds/README.md
