const path = require('path');

const root = path.resolve(__dirname, '..');
const built = path.join(root, 'build', 'test');
const source = path.join(root, 'test');

module.exports = {
  resolveSnapshotPath: (testPath, ext) => path.join(source, '__snapshots__', path.relative(built, testPath).replace(/\.js$/, '.ts') + ext),
  resolveTestPath: (snapshotPath, ext) =>
    path.join(built, path.relative(path.join(source, '__snapshots__'), snapshotPath).slice(0, -ext.length).replace(/\.ts$/, '.js')),
  testPathForConsistencyCheck: path.join(built, 'example.test.js'),
};
