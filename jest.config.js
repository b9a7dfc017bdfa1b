/** Tests run on the tsc output: type-checked once by `npm run build`, no per-file transpile. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/build/test'],
  testMatch: ['**/*.test.js'],
  testTimeout: 60000,
  // Test files run in a worker that is replaced once it holds more than this after a file: in one
  // long-lived process the synthesized fixtures of the whole suite outgrow the default heap (4 GB,
  // reached on a fresh clone). With a limit set, Jest uses a worker even where it would run in band.
  workerIdleMemoryLimit: '2GB',
  // Snapshots belong next to the TypeScript sources, not in the build output.
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
};
