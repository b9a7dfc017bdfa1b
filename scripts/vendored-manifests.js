#!/usr/bin/env node
/**
 * Converts every vendored operator release manifest (vendor/<operator>-<version>/*.yaml of more than one
 * document) into build/vendor/<operator>-<version>/<file>.json, the documents as a JSON array, so a synth
 * loads them instead of parsing large YAML (the Loki operator's install manifest alone takes ~0.2 s per
 * worker thread). Part of `npm run build`; the YAML stays the vendored source.
 */
const fs = require('fs');
const path = require('path');
const { parseAllDocuments } = require('yaml');

const root = path.resolve(__dirname, '..');
const vendor = path.join(root, 'vendor');
let count = 0;
for (const dir of fs.readdirSync(vendor).sort()) {
  const from = path.join(vendor, dir);
  if (!fs.statSync(from).isDirectory() || dir === 'charts' || dir === 'chart-crds') continue;
  for (const file of fs
    .readdirSync(from)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()) {
    const docs = parseAllDocuments(fs.readFileSync(path.join(from, file), 'utf8'))
      .map((d) => d.toJS())
      .filter(Boolean);
    const to = path.join(root, 'build', 'vendor', dir, file.replace(/\.ya?ml$/, '.json'));
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, JSON.stringify(docs));
    count++;
  }
}
console.log(`converted ${count} vendored manifests -> build/vendor`);
