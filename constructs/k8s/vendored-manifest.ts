import * as fs from 'fs';
import * as path from 'path';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../../lib/core/paths';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- upstream YAML documents
export type ManifestDoc = any;

const parsed = new Map<string, ManifestDoc[]>();

/**
 * The documents of a vendored upstream manifest (an operator's install YAML), loaded once per process:
 * from the JSON `npm run build` converts it to (scripts/vendored-manifests.js), else parsed.
 */
export function vendoredManifest(file: string): ManifestDoc[] {
  let docs = parsed.get(file);
  if (!docs) {
    const json = path.join(REPO_ROOT, 'build', path.relative(REPO_ROOT, file)).replace(/\.ya?ml$/, '.json');
    docs = fs.existsSync(json)
      ? (JSON.parse(fs.readFileSync(json, 'utf8')) as ManifestDoc[])
      : parseAllDocuments(fs.readFileSync(file, 'utf8'))
          .map((d) => d.toJS())
          .filter(Boolean);
    parsed.set(file, docs);
  }
  return docs;
}
