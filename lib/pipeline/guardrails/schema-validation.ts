import * as path from 'path';
import { BUILD_ROOT } from '../../core/paths';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { K8sObject, objectRef } from '../../core/k8s-objects';
import { Finding } from './finding';
import { k8sStructure, unknownFields } from './k8s-structure';

export const SCHEMA_RULE = {
  core: 'SCHEMA-K8S',
  crd: 'SCHEMA-CRD',
  unknownKind: 'SCHEMA-UNKNOWN-KIND',
} as const;

type CrdValidators = Record<string, ValidateFunction>;
let crdValidators: CrdValidators | undefined;

/**
 * Validators of every vendored CRD version (imports/crds), keyed by `group/version/kind`, precompiled
 * by scripts/crd-validators.js during `npm run build` so a check does not parse and compile them.
 */
function crds(): CrdValidators {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a module generated at build time, loaded only when a custom resource is checked
  crdValidators ??= require(path.join(BUILD_ROOT, 'imports', 'crds', 'validators.js')) as CrdValidators;
  return crdValidators;
}

function ajvPath(e: ErrorObject): string {
  const base = e.instancePath
    .replace(/^\//, '')
    .replace(/\/(\d+)(?=\/|$)/g, '[$1]')
    .replace(/\//g, '.');
  const extra = e.keyword === 'additionalProperties' ? e.params.additionalProperty : e.keyword === 'required' ? e.params.missingProperty : undefined;
  return [base, extra].filter(Boolean).join('.') || '(root)';
}

/** Messages built from the error params, so both validators read alike. */
function ajvMessage(e: ErrorObject): string {
  const p = e.params as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- ajv's params differ per keyword
  switch (e.keyword) {
    case 'additionalProperties':
      return 'unknown field';
    case 'required':
      return 'required field missing';
    case 'enum':
      return `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
    case 'type':
      return `must be ${p.type}`;
    default:
      return e.message ?? `fails "${e.keyword}" ${JSON.stringify(p)}`;
  }
}

interface ModelValidationError {
  readonly errors?: ErrorObject[];
}
type ModelClass = new (data: unknown) => { validate(): void };
const coreModels = new Map<string, ModelClass | null>();

/** The kubernetes-models class of a core kind (`kubernetes-models/apps/v1/Deployment`), loaded once. */
function coreModel(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (!coreModels.has(key)) {
    const modulePath = `kubernetes-models/${apiVersion.includes('/') ? apiVersion : `v1`}/${kind}`;
    try {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- the kubernetes-models class of a kind, resolved from its apiVersion at run time
      coreModels.set(key, (require(modulePath) as Record<string, ModelClass>)[kind] ?? null);
    } catch {
      coreModels.set(key, null);
    }
  }
  return coreModels.get(key) ?? undefined;
}

/** The upstream OpenAPI validation of kubernetes-models: types, required fields, enums. */
function coreErrors(o: K8sObject): ErrorObject[] {
  const Model = coreModel(o.apiVersion, o.kind);
  if (!Model) return [];
  try {
    new Model(o).validate();
    return [];
  } catch (e) {
    return (e as ModelValidationError).errors ?? [];
  }
}

/**
 * Validates synthesized objects: core kinds strictly against the Kubernetes 1.28 structure plus the
 * upstream OpenAPI validators of kubernetes-models (types, required fields, enums); custom resources
 * against the `openAPIV3Schema` of their vendored CRD with unknown fields rejected.
 */
export function validateSchemas(env: string, objects: ReadonlyArray<K8sObject>): Finding[] {
  const findings: Finding[] = [];
  const structure = k8sStructure();
  const add = (ruleId: string, o: K8sObject, p: string, message: string) =>
    findings.push({
      ruleId,
      severity: 'error',
      environment: env,
      target: objectRef(o),
      path: p,
      message,
      hint: 'fix the construct or input that produced this field; the API server would reject or silently drop it',
      file: o.file,
    });

  for (const o of objects) {
    const gvk = `${o.apiVersion}/${o.kind}`;
    const coreType = structure.kinds.get(gvk);
    if (coreType) {
      for (const u of unknownFields(o, coreType)) {
        if (u.path !== 'apiVersion' && u.path !== 'kind') add(SCHEMA_RULE.core, o, u.path, `unknown field (not in ${u.type}, Kubernetes 1.28)`);
      }
      for (const e of coreErrors(o)) add(SCHEMA_RULE.core, o, ajvPath(e), ajvMessage(e));
      continue;
    }
    const validate = crds()[gvk];
    if (validate) {
      if (!validate(o)) for (const e of validate.errors ?? []) add(SCHEMA_RULE.crd, o, ajvPath(e), ajvMessage(e));
      for (const u of unknownFields(o.metadata, 'ObjectMeta', 'metadata')) add(SCHEMA_RULE.crd, o, u.path, 'unknown field (not in ObjectMeta)');
      continue;
    }
    add(SCHEMA_RULE.unknownKind, o, 'kind', `${gvk} is neither a Kubernetes 1.28 kind nor a vendored CRD`);
  }
  return findings;
}
