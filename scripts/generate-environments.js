#!/usr/bin/env node
/**
 * Writes N environment files into a directory: copies of the shipped environments, renamed
 * `<name>-<nnn>`, each on its own tailnet and GitOps path, the way a platform team holding one
 * environment per client, region and stage would have them. Used by `npm run bench` and the scale tests.
 *
 *   node scripts/generate-environments.js <count> <dir>
 */
const fs = require('fs');
const path = require('path');
const { parse, stringify } = require('yaml');

function generateEnvironments(count, dir, source = path.join(__dirname, '..', 'environments')) {
  const bases = fs
    .readdirSync(source)
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => parse(fs.readFileSync(path.join(source, f), 'utf8')));
  fs.mkdirSync(dir, { recursive: true });
  for (let i = 0; i < count; i++) {
    const env = structuredClone(bases[i % bases.length]);
    const name = `${env.name}-${String(i).padStart(3, '0')}`;
    env.name = name;
    if (env.access?.kind === 'tailscale') env.access.tailnet = `${name}.example.org`;
    if (env.gitops) env.gitops.path = name;
    fs.writeFileSync(path.join(dir, `${name}.yaml`), stringify(env));
  }
}

module.exports = { generateEnvironments };

if (require.main === module) {
  const [count, dir] = process.argv.slice(2);
  if (!count || !dir) {
    console.error('usage: generate-environments.js <count> <dir>');
    process.exit(2);
  }
  generateEnvironments(Number(count), dir);
}
