/**
 * The layers of Parity, lowest first. A module may import from its own layer and the layers below it,
 * never from one above; no import cycle anywhere. `npm test` runs this (npm run lint:deps).
 *
 *   lib/core      model and schema, facade over cdktf/cdk8s, typed facts, helpers
 *   imports       typed custom resources generated from the vendored CRDs
 *   constructs    reusable constructs (Terraform and Kubernetes)
 *   contracts     the Substrate, PlatformAddOn and PlatformApp interfaces
 *   addons, apps, substrates   implementations of the contracts (substrates may use add-ons)
 *   stacks        composition of one environment
 *   lib/pipeline  synth, guardrails, rehearsal, review, publish
 *   bin           command entry points
 */
const LAYERS = [
  ['core', '^lib/core/'],
  ['imports', '^imports/'],
  ['constructs', '^constructs/'],
  ['contracts', '^contracts/'],
  ['addons', '^addons/'],
  ['apps', '^apps/'],
  ['substrates', '^substrates/'],
  ['stacks', '^stacks/'],
  ['pipeline', '^lib/pipeline/'],
  ['bin', '^bin/'],
];
// Peers of one layer that must not depend on each other: an add-on or an app knows the substrate only
// through its contract. (A substrate may bring add-ons of its own, e.g. Karpenter on EKS.)
const PEERS = { addons: ['apps', 'substrates'], apps: ['addons', 'substrates'] };
const pathsOf = (names) => LAYERS.filter(([n]) => names.includes(n)).map(([, p]) => p);

const layerRules = LAYERS.flatMap(([name, from], i) => {
  const above = LAYERS.slice(i + 1)
    .map(([n]) => n)
    .filter((n) => !(PEERS[name] ?? []).includes(n));
  return [
    ...(above.length
      ? [
          {
            name: `${name}-not-upward`,
            comment: `${name} may not import from a layer above it`,
            severity: 'error',
            from: { path: from },
            to: { path: pathsOf(above) },
          },
        ]
      : []),
    ...(PEERS[name]
      ? [
          {
            name: `${name}-not-peer`,
            comment: `${name} may not import from ${PEERS[name].join(' or ')}`,
            severity: 'error',
            from: { path: from },
            to: { path: pathsOf(PEERS[name]) },
          },
        ]
      : []),
  ];
});

module.exports = {
  forbidden: [
    { name: 'no-circular', comment: 'no import cycles', severity: 'error', from: {}, to: { circular: true } },
    {
      name: 'not-unresolvable',
      comment: 'every relative import resolves to a file',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true, pathNot: '^node:' },
    },
    { name: 'not-to-test', comment: 'production code does not import tests', severity: 'error', from: { pathNot: '^test/' }, to: { path: '^test/' } },
    ...layerRules,
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '^(build|dist|node_modules)/' },
  },
};
