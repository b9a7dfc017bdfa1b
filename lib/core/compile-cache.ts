/**
 * Keeps V8's compiled code of every CommonJS module this process loads, so a CLI run skips
 * recompiling the generated CRD bindings and provider classes it loaded the last time: about a third of
 * a synth's wall time on a warm checkout (what Node 22's module.enableCompileCache does natively; Node 20
 * has no such switch). A module with a dynamic import() compiles as usual: Node 20 drops the import
 * callback of a script made from cached data (which is also why the v8-compile-cache package breaks the
 * ESM-only secretlint). Entries are keyed by the module's path and source, live under build/
 * (per checkout, gone with it), and V8 itself rejects data that does not match: the cache can make a run
 * faster, never different. Imported first by each entry point.
 */
import { createHash } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import * as vm from 'vm';
import Module from 'module';
import { BUILD_ROOT } from './paths';

/** Where entries live: build/.compile-cache, or PARITY_COMPILE_CACHE_DIR. */
const CACHE_DIR = process.env.PARITY_COMPILE_CACHE_DIR ?? path.join(BUILD_ROOT, '.compile-cache');

interface Internals {
  prototype: { _compile(this: NodeModule, content: string, filename: string): unknown; require(id: string): unknown };
  wrap(content: string): string;
  _resolveFilename(request: string, parent: NodeModule, isMain: boolean, options?: { paths?: string[] }): string;
  _resolveLookupPaths(request: string, parent: NodeModule): string[] | null;
  _extensions: NodeJS.RequireExtensions;
  _cache: NodeJS.Dict<NodeModule>;
}

/** The `require` a module's wrapper receives, as Node builds it (lib/internal/modules/helpers.js). */
function requireFor(mod: NodeModule, M: Internals): NodeJS.Require {
  const req = ((id: string) => M.prototype.require.call(mod, id)) as NodeJS.Require;
  const resolve = ((request: string, options?: { paths?: string[] }) => M._resolveFilename(request, mod, false, options)) as NodeJS.RequireResolve;
  resolve.paths = (request: string) => M._resolveLookupPaths(request, mod);
  req.resolve = resolve;
  req.main = require.main;
  req.extensions = M._extensions;
  req.cache = M._cache;
  return req;
}

function install(): void {
  const M = Module as unknown as Internals;
  const compile = M.prototype._compile;
  const produced: Array<{ file: string; script: vm.Script }> = [];
  M.prototype._compile = function (this: NodeModule, content: string, filename: string): unknown {
    if (!filename.endsWith('.js') || content.includes('import(')) return compile.call(this, content, filename);
    const file = path.join(CACHE_DIR, createHash('sha256').update(filename).update('\0').update(content).digest('hex'));
    let cachedData: Buffer | undefined;
    try {
      cachedData = fs.readFileSync(file);
    } catch {
      cachedData = undefined;
    }
    const script = new vm.Script(M.wrap(content), { filename, cachedData });
    if (!cachedData || script.cachedDataRejected) produced.push({ file, script });
    const wrapper = script.runInThisContext({ displayErrors: true }) as (...args: unknown[]) => unknown;
    return wrapper.call(this.exports, this.exports, requireFor(this, M), this, filename, path.dirname(filename));
  };
  // Written once the run is over, so the functions it ran are compiled into the data too.
  process.once('exit', () => {
    for (const { file, script } of produced) {
      try {
        fs.mkdirSync(CACHE_DIR, { recursive: true });
        const tmp = `${file}.${process.pid}.tmp`;
        fs.writeFileSync(tmp, script.createCachedData());
        fs.renameSync(tmp, file);
      } catch {
        // A read-only checkout runs uncached; nothing depends on the cache.
      }
    }
  });
}

if (process.env.PARITY_COMPILE_CACHE !== '0') install();
