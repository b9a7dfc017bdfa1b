import * as path from 'path';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { K8sObject, objectRef } from './objects';
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
  // __dirname is build/lib/guardrails; the generated module sits in build/imports/crds.
  crdValidators ??= require(path.resolve(__dirname, '..', '..', 'imports', 'crds', 'validators.js')) as CrdValidators;
  return crdValidators;
}

function ajvPath(e: ErrorObject): string {
  const base = e.instancePath.replace(/^\//, '').replace(/\/(\d+)(?=\/|$)/g, '[$1]').replace(/\//g, '.');
  const extra = e.keyword === 'additionalProperties' ? e.params.additionalProperty : e.keyword === 'required' ? e.params.missingProperty : undefined;
  return [base, extra].filter(Boolean).join('.') || '(root)';
}

/** kubernetes-models' validators are compiled without messages, so messages are built from the params. */
function ajvMessage(e: ErrorObject): string {
  const p = e.params as Record<string, any>;
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

/** kubernetes-models schema module for a core kind, e.g. apps/v1 Deployment -> IoK8sApiAppsV1Deployment. */
function coreSchemaModule(apiVersion: string, kind: string): string {
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  const groupName = group === '' ? 'Core' : group.split('.')[0].replace(/^./, (c) => c.toUpperCase());
  return `kubernetes-models/_schemas/IoK8sApi${groupName}${version.replace(/^./, (c) => c.toUpperCase())}${kind}`;
}

type ModelsValidate = ((data: unknown) => boolean) & { errors?: ErrorObject[] | null };
const coreValidators = new Map<string, Promise<ModelsValidate | undefined>>();

function coreValidator(apiVersion: string, kind: string): Promise<ModelsValidate | undefined> {
  const key = `${apiVersion}/${kind}`;
  if (!coreValidators.has(key)) {
    // kubernetes-models is ESM-only: a native dynamic import, kept as import() by tsc's node16 output.
    coreValidators.set(key, import(coreSchemaModule(apiVersion, kind)).then((m: { validate: ModelsValidate }) => m.validate, () => undefined));
  }
  return coreValidators.get(key)!;
}

/**
 * Validates synthesized objects: core kinds strictly against the Kubernetes 1.28 structure plus the
 * upstream OpenAPI validators of kubernetes-models (types, required fields, enums); custom resources
 * against the `openAPIV3Schema` of their vendored CRD with unknown fields rejected.
 */
export async function validateSchemas(env: string, objects: ReadonlyArray<K8sObject>): Promise<Finding[]> {
  const findings: Finding[] = [];
  const structure = k8sStructure();
  const add = (ruleId: string, o: K8sObject, p: string, message: string) =>
    findings.push({ ruleId, severity: 'error', environment: env, target: objectRef(o), path: p, message, hint: 'fix the construct or input that produced this field; the API server would reject or silently drop it', file: o.file });

  await Promise.all(
    objects.map(async (o) => {
      const gvk = `${o.apiVersion}/${o.kind}`;
      const coreType = structure.kinds.get(gvk);
      if (coreType) {
        for (const u of unknownFields(o, coreType)) {
          if (u.path !== 'apiVersion' && u.path !== 'kind') add(SCHEMA_RULE.core, o, u.path, `unknown field (not in ${u.type}, Kubernetes 1.28)`);
        }
        const validate = await coreValidator(o.apiVersion, o.kind);
        if (validate && !validate(o)) for (const e of validate.errors ?? []) add(SCHEMA_RULE.core, o, ajvPath(e), ajvMessage(e));
        return;
      }
      const validate = crds()[gvk];
      if (validate) {
        if (!validate(o)) for (const e of validate.errors ?? []) add(SCHEMA_RULE.crd, o, ajvPath(e), ajvMessage(e));
        for (const u of unknownFields(o.metadata, 'ObjectMeta', 'metadata')) add(SCHEMA_RULE.crd, o, u.path, 'unknown field (not in ObjectMeta)');
        return;
      }
      add(SCHEMA_RULE.unknownKind, o, 'kind', `${gvk} is neither a Kubernetes 1.28 kind nor a vendored CRD`);
    }),
  );
  return findings;
}
