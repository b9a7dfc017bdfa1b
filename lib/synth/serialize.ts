import { stringify } from 'yaml';

/** YAML that is the same bytes for the same objects: sorted keys, no line folding. */
export function toYaml(doc: unknown): string {
  return stringify(doc, { sortMapEntries: true, lineWidth: 0, aliasDuplicateObjects: false });
}

export function toYamlStream(docs: ReadonlyArray<unknown>): string {
  return docs.map(toYaml).join('---\n');
}
