#!/usr/bin/env bash
# Regenerates imports/ from the vendored CRDs in ../shared/crds, offline. CRDs of one API group are
# concatenated first: `cdk8s import` writes one file per group and would keep only the last CRD.
set -euo pipefail
cd "$(dirname "$0")/.."
crds=${CRDS_DIR:-../shared/crds}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
for file in "$crds"/*.yaml; do
  group=$(basename "$file" | sed 's/_.*//')
  { cat "$file"; printf '\n---\n'; } >> "$tmp/$group.yaml"
done
for grouped in "$tmp"/*.yaml; do
  npx cdk8s import --no-check-upgrade --language typescript --output imports "$grouped" > /dev/null
done
ls imports
# Keep the CRDs themselves too: the guardrails validate custom resources against their openAPIV3Schema.
rm -rf imports/crds && mkdir -p imports/crds && cp "$crds"/*.yaml "$crds"/README.md imports/crds/
