#!/usr/bin/env node
/**
 * Writes build/vendored-inputs.js: a hash of the upstream facts Parity reads at run time (vendored
 * charts and CRDs). The synth cache key covers every compiled .js file, so it covers these through this
 * one file, computed once per build instead of on every run (`npm run synth` builds first).
 */
const { createHash } = require('crypto');
const fs = require('fs');
const path = require('path');

const ROOT = path.join(__dirname, '..');
const hash = createHash('sha256');
function walk(dir) {
  if (!fs.existsSync(dir)) return;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full);
    else hash.update(path.relative(ROOT, full)).update('\0').update(fs.readFileSync(full)).update('\0');
  }
}
for (const dir of ['vendor', path.join('imports', 'crds')]) walk(path.join(ROOT, dir));
fs.mkdirSync(path.join(ROOT, 'build'), { recursive: true });
fs.writeFileSync(path.join(ROOT, 'build', 'vendored-inputs.js'), `module.exports = ${JSON.stringify(hash.digest('hex'))};\n`);
