import { dump } from 'js-yaml';

/**
 * YAML that is the same bytes for the same objects: sorted keys, no line folding, no anchors.
 * js-yaml's dumper is about twice as fast as `yaml`'s stringify on our manifests, and synth time is
 * a budget (see npm run bench).
 */
export function toYaml(doc: unknown): string {
  return dump(doc, { sortKeys: true, lineWidth: -1, noRefs: true, skipInvalid: true, quotingType: '"' });
}

export function toYamlStream(docs: ReadonlyArray<unknown>): string {
  return docs.map(toYaml).join('---\n');
}
