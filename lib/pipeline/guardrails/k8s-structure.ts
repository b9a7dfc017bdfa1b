import * as fs from 'fs';

/**
 * The property structure of every Kubernetes 1.28 API type, for strict (unknown-field) validation.
 *
 * Source: the bindings cdk8s-plus-28 generated from the upstream 1.28 OpenAPI document. Each
 * definition has a `toJson_<Type>` function listing every JSON property and how its value converts,
 * which is exactly the information a strict validator needs: known property names and, where a
 * property holds another API type, which one. Reading it here keeps one source for the 1.28 schema.
 */

/** What a property holds: another API type, a list or map of one, or a leaf (string, number, quantity...). */
export type FieldShape =
  | { readonly kind: 'object'; readonly type: string }
  | { readonly kind: 'array'; readonly type: string }
  | { readonly kind: 'map'; readonly type: string }
  | { readonly kind: 'leaf' };

export interface K8sStructure {
  /** Type name (e.g. "DeploymentSpec") to its properties. */
  readonly types: ReadonlyMap<string, ReadonlyMap<string, FieldShape>>;
  /** `apiVersion/kind` (e.g. "apps/v1/Deployment") to the props type of the top-level object. */
  readonly kinds: ReadonlyMap<string, string>;
}

const FUNCTION = /^function toJson_(\w+)\(obj\) \{\n([\s\S]*?)\n\}\nexports\.toJson_\w+ = /gm;
const PROPERTY = /^ {8}'([^']+)': (.*),$/gm;

function shapeOf(expr: string): FieldShape {
  let m = /^toJson_(\w+)\(obj\.[\w$]+\)$/.exec(expr);
  if (m) return { kind: 'object', type: m[1] };
  m = /^obj\.[\w$]+\?\.map\(y => toJson_(\w+)\(y\)\)$/.exec(expr);
  if (m) return { kind: 'array', type: m[1] };
  m = /reduce\(\(r, i\) => \(i\[1\] === undefined\) \? r : \(\{ \.\.\.r, \[i\[0\]\]: toJson_(\w+)\(i\[1\]\) \}\), \{\}\)\)$/.exec(expr);
  if (m) return { kind: 'map', type: m[1] };
  return { kind: 'leaf' };
}

let cached: K8sStructure | undefined;

export function k8sStructure(): K8sStructure {
  if (cached) return cached;
  const source = fs.readFileSync(require.resolve('cdk8s-plus-28/lib/imports/k8s.js'), 'utf8');
  const types = new Map<string, Map<string, FieldShape>>();
  for (const fn of source.matchAll(FUNCTION)) {
    const props = new Map<string, FieldShape>();
    for (const p of fn[2].matchAll(PROPERTY)) props.set(p[1], shapeOf(p[2]));
    types.set(fn[1], props);
  }
  const kinds = new Map<string, string>();
  for (const m of source.matchAll(/^(Kube\w+)\.GVK = \{\n\s+apiVersion: '([^']+)',\n\s+kind: '([^']+)',\n\};/gm)) {
    if (types.has(`${m[1]}Props`)) kinds.set(`${m[2]}/${m[3]}`, `${m[1]}Props`);
  }
  if (types.size < 300 || kinds.size < 50) {
    throw new Error(
      `could not read the Kubernetes 1.28 structure from cdk8s-plus-28 (found ${types.size} types, ${kinds.size} kinds); has its generated code changed?`,
    );
  }
  cached = { types, kinds };
  return cached;
}

/** One unknown field: its path and the type it was found in. */
export interface UnknownField {
  readonly path: string;
  readonly type: string;
}

/** Fields of `value` that the API type `type` does not define, recursively. */
export function unknownFields(value: unknown, type: string, path = '', structure = k8sStructure()): UnknownField[] {
  const props = structure.types.get(type);
  if (!props || value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  const out: UnknownField[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    const at = path ? `${path}.${key}` : key;
    const shape = props.get(key);
    if (!shape) {
      out.push({ path: at, type });
      continue;
    }
    if (shape.kind === 'object') out.push(...unknownFields(child, shape.type, at, structure));
    else if (shape.kind === 'array' && Array.isArray(child))
      child.forEach((c, i) => out.push(...unknownFields(c, shape.type, `${at}[${i}]`, structure)));
    else if (shape.kind === 'map' && child && typeof child === 'object') {
      for (const [k, v] of Object.entries(child as Record<string, unknown>)) out.push(...unknownFields(v, shape.type, `${at}.${k}`, structure));
    }
  }
  return out;
}
