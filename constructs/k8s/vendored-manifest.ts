import * as fs from 'fs';
import { parseAllDocuments } from 'yaml';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- upstream YAML documents
export type ManifestDoc = any;

const parsed = new Map<string, ManifestDoc[]>();

/** The documents of a vendored upstream manifest (an operator's install YAML), parsed once per process. */
export function vendoredManifest(file: string): ManifestDoc[] {
  let docs = parsed.get(file);
  if (!docs) {
    docs = parseAllDocuments(fs.readFileSync(file, 'utf8'))
      .map((d) => d.toJS())
      .filter(Boolean);
    parsed.set(file, docs);
  }
  return docs;
}
