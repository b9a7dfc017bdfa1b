import * as crypto from 'crypto';
import { stringify } from 'yaml';

/**
 * Test fixtures in SOPS's file format (sops v3, YAML, age), made here because no sops binary runs on
 * this machine: a random data key, each value under data/stringData sealed with AES-256-GCM (32-byte
 * IV, the value's path as additional data), the MAC (SHA-512 over every value, in order) sealed with
 * the last-modified time as additional data, the data key age-encrypted to each recipient. The tests
 * decrypt what this writes with an independent implementation (the sops-age package) before trusting it.
 */
export async function sopsEncrypt(
  doc: Record<string, any>,
  recipients: ReadonlyArray<string>,
  lastmodified = '2026-12-01T00:00:00Z',
): Promise<string> {
  const age = await import('age-encryption');
  const key = crypto.randomBytes(32);
  const seal = (plain: string, aad: string) => {
    const iv = crypto.randomBytes(32);
    const cipher = crypto.createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(aad));
    const data = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `ENC[AES256_GCM,data:${data.toString('base64')},iv:${iv.toString('base64')},tag:${cipher.getAuthTag().toString('base64')},type:str]`;
  };
  const hash = crypto.createHash('sha512');
  const walk = (value: any, path: string[]): any => {
    if (value && typeof value === 'object' && !Array.isArray(value))
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, [...path, k])]));
    hash.update(String(value));
    return ['data', 'stringData'].includes(path[0]) ? seal(String(value), `${path.join(':')}:`) : value;
  };
  const body = walk(doc, []);
  const stanzas = await Promise.all(
    recipients.map(async (recipient) => {
      const e = new age.Encrypter();
      e.addRecipient(recipient);
      return { recipient, enc: age.armor.encode(await e.encrypt(key)) };
    }),
  );
  return stringify({
    ...body,
    sops: {
      age: stanzas,
      lastmodified,
      mac: seal(hash.digest('hex').toUpperCase(), lastmodified),
      encrypted_regex: '^(data|stringData)$',
      version: '3.9.4',
    },
  });
}

/** A new age key pair: the identity (private) and its recipient (public). */
export async function ageKeyPair(): Promise<{ identity: string; recipient: string }> {
  const age = await import('age-encryption');
  const identity = await age.generateIdentity();
  return { identity, recipient: await age.identityToRecipient(identity) };
}
