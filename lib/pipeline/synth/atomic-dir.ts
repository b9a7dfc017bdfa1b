import * as fs from 'fs';
import * as path from 'path';
import { inParallel } from '../../core/util/parallel';

export type FileMap = ReadonlyMap<string, string>;

/**
 * Writes every file, each directory created once, with up to 16 writes in flight: thousands of small
 * files are bound by the file system's latency, which the thread pool overlaps.
 */
async function writeTree(root: string, files: FileMap): Promise<void> {
  const dirs = new Set([...files.keys()].map((rel) => path.dirname(path.join(root, rel))));
  for (const dir of [...dirs].sort()) fs.mkdirSync(dir, { recursive: true });
  await inParallel([...files], 16, ([rel, content]) => fs.promises.writeFile(path.join(root, rel), content));
}

/**
 * Replaces `target` with exactly `files`: written to a sibling staging directory first, then swapped
 * in with renames. A failure before the swap leaves `target` as it was; files of removed resources do
 * not survive because nothing of the old tree is reused.
 */
export async function replaceDirectory(target: string, files: FileMap): Promise<void> {
  const parent = path.dirname(path.resolve(target));
  const base = path.basename(target);
  fs.mkdirSync(parent, { recursive: true });
  const staging = fs.mkdtempSync(path.join(parent, `.${base}-staging-`));
  try {
    await writeTree(staging, files);
  } catch (err) {
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  const old = `${staging}-old`;
  const hadTarget = fs.existsSync(target);
  if (hadTarget) fs.renameSync(target, old);
  try {
    fs.renameSync(staging, target);
  } catch (err) {
    if (hadTarget) fs.renameSync(old, target);
    fs.rmSync(staging, { recursive: true, force: true });
    throw err;
  }
  if (hadTarget) fs.rmSync(old, { recursive: true, force: true });
}

/** Every file under `root` with its content, keyed by POSIX relative path. */
export function readTree(root: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!fs.existsSync(root)) return out;
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.set(path.relative(root, full).split(path.sep).join('/'), fs.readFileSync(full, 'utf8'));
    }
  };
  walk(root);
  return out;
}

export interface TreeDifference {
  readonly added: string[];
  readonly removed: string[];
  readonly changed: string[];
}

/** How `actual` on disk differs from the `expected` files. */
export function compareTree(expected: FileMap, actual: FileMap): TreeDifference {
  const added = [...expected.keys()].filter((k) => !actual.has(k)).sort();
  const removed = [...actual.keys()].filter((k) => !expected.has(k)).sort();
  const changed = [...expected.keys()].filter((k) => actual.has(k) && actual.get(k) !== expected.get(k)).sort();
  return { added, removed, changed };
}
