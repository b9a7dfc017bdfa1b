#!/usr/bin/env node
/**
 * Vendors the images kubeadm pulls besides the control-plane components (CoreDNS, etcd, pause) per
 * Kubernetes release, from minikube's table generated with `kubeadm config images list`
 * (pkg/minikube/constants/constants_kubeadm_images.go), into vendor/kubeadm/images.json.
 *
 *   node scripts/vendor-kubeadm-images.js <minikube git dir> <commit>
 */
const { execFileSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const [gitDir, commit] = process.argv.slice(2);
if (!gitDir || !commit) throw new Error('usage: vendor-kubeadm-images.js <minikube git dir> <commit>');
const file = 'pkg/minikube/constants/constants_kubeadm_images.go';
const go = execFileSync('git', ['-C', gitDir, 'show', `${commit}:${file}`], { encoding: 'utf8' });
const releases = {};
for (const m of go.matchAll(/"(v1\.(\d+)\.\d+)":\s*\{([^}]*)\}/g)) {
  // Stable releases the project can pin (kubeadm installs exact patch versions), 1.28 onwards.
  if (Number(m[2]) < 28) continue;
  releases[m[1].slice(1)] = Object.fromEntries([...m[3].matchAll(/"([^"]+)":\s*"([^"]+)"/g)].map((e) => [e[1], e[2]]));
}
const out = { source: { repository: 'kubernetes/minikube', path: file, commit }, releases };
fs.writeFileSync(path.join(__dirname, '..', 'vendor', 'kubeadm', 'images.json'), `${JSON.stringify(out, null, 1)}\n`);
console.log(`${Object.keys(releases).length} releases`);
