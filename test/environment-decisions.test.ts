import * as fs from 'fs';
import * as path from 'path';
import { parse } from 'yaml';
import { synthesizeAll } from '../lib/pipeline/synth/pipeline';
import { ENVIRONMENTS_DIR, fixture, messageOf } from './helpers';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * UUID-valued fields a person decides before anything is applied: the Entra ID tenant and the groups
 * that administer the cluster. Every other id (identities, principals, resources) is created by a stack
 * and travels through its outputs, never through the environment file.
 */
const PERSON_GIVEN = [/^substrate\.tenantId$/, /^substrate\.adminGroupObjectIds\.\d+$/, /^apps\.\d+\.keyVault\.tenantId$/];

function uuidFields(value: unknown, at = ''): string[] {
  if (typeof value === 'string') return UUID.test(value) ? [at] : [];
  if (Array.isArray(value)) return value.flatMap((v, i) => uuidFields(v, `${at}.${i}`));
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([k, v]) => uuidFields(v, at ? `${at}.${k}` : k));
  return [];
}

describe('environment files hold decisions, never values a stack produces', () => {
  it('no UUID outside the fields a person decides (an identity or resource id would be a copied output)', () => {
    for (const file of fs.readdirSync(ENVIRONMENTS_DIR).filter((f) => f.endsWith('.yaml'))) {
      const fields = uuidFields(parse(fs.readFileSync(path.join(ENVIRONMENTS_DIR, file), 'utf8')));
      expect({ file, copied: fields.filter((f) => !PERSON_GIVEN.some((p) => p.test(f))) }).toEqual({ file, copied: [] });
    }
  });

  it('the client IDs that used to be copied by hand are refused with the field named', () => {
    const vault = fixture('prod', (e) => {
      e.substrate.vaultUnsealIdentityClientId = '9c8b7a6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d';
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: vault }))).toMatch(
      /prod \(environments\/prod\.yaml\): substrate\.vaultUnsealIdentityClientId: found an unknown field/,
    );
    const kv = fixture('prod', (e) => {
      e.apps[0].keyVault.identityClientId = '2b4d6f8a-0c1e-4a3b-9d5f-7e9a1c3b5d7f';
    });
    expect(messageOf(() => synthesizeAll({ environmentsDir: kv }))).toMatch(/apps\[0\]\.keyVault\.identityClientId: found an unknown field/);
  });
});
