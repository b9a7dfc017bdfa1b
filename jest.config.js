/** Tests run on the tsc output: type-checked once by `npm run build`, no per-file transpile. */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/build/test'],
  testMatch: ['**/*.test.js'],
  testTimeout: 60000,
  // Snapshots belong next to the TypeScript sources, not in the build output.
  snapshotResolver: '<rootDir>/test/snapshot-resolver.js',
};
