// Test secrets, generated at run time so that no live-looking credential is committed to the repository.
import { createHash, createHmac, generateKeyPairSync, randomBytes } from 'node:crypto';

export const UPPER_DIGITS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export const ALNUM = `abcdefghijklmnopqrstuvwxyz${UPPER_DIGITS}`;
export const DIGITS = '0123456789';
export const B64 = `${ALNUM}+/`;
export const B64URL = `${ALNUM}-_`;

/** `n` characters of `alphabet`, deterministic per seed (sha256 in counter mode). */
export function fake(seed: string, alphabet: string, n: number): string {
  let out = '';
  for (let block = 0; out.length < n; block++) {
    for (const byte of createHash('sha256').update(`${seed}:${block}`).digest()) {
      if (out.length < n) out += alphabet[byte % alphabet.length];
    }
  }
  return out;
}

/** `n` bytes, deterministic per seed, as base64 (an Azure account key is 64 bytes: 88 characters). */
export function base64OfBytes(seed: string, n: number): string {
  const blocks: Buffer[] = [];
  for (let i = 0; blocks.length * 32 < n; i++) blocks.push(createHash('sha256').update(`${seed}:${i}`).digest());
  return Buffer.concat(blocks).subarray(0, n).toString('base64');
}

export function signedJwt(header: string, payload: object, key = 'bulwark-test-key'): string {
  const h = Buffer.from(header).toString('base64url');
  const p = Buffer.from(JSON.stringify(payload)).toString('base64url');
  return `${h}.${p}.${createHmac('sha256', key).update(`${h}.${p}`).digest('base64url')}`;
}

/** The base64 lines of a PEM (what the scanner calls the secret), without the BEGIN/END lines. */
export function pemBody(pem: string): string {
  return pem.split('\n').filter((l) => l && !l.startsWith('-----')).join('\n');
}

const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 });
const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const dsa = generateKeyPairSync('dsa', { modulusLength: 1024, divisorLength: 160 });

export const keys = {
  rsaPkcs1: rsa.privateKey.export({ type: 'pkcs1', format: 'pem' }) as string,
  ecSec1: ec.privateKey.export({ type: 'sec1', format: 'pem' }) as string,
  pkcs8: ec.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
  // Node writes DSA keys as PKCS#8 only; the DSA label is what OpenSSL's traditional format puts on the same base64.
  dsa: (dsa.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string).replace(/PRIVATE KEY/g, 'DSA PRIVATE KEY'),
  pkcs8Encrypted: rsa.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test-passphrase' }) as string,
  rsaLegacyEncrypted: rsa.privateKey.export({ type: 'pkcs1', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'test-passphrase' }) as string,
  publicKey: rsa.publicKey.export({ type: 'spki', format: 'pem' }) as string,
};

const sshString = (b: Buffer | string): Buffer => {
  const body = typeof b === 'string' ? Buffer.from(b) : b;
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, body]);
};
const u32 = (n: number): Buffer => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
};

/**
 * An ed25519 key in OpenSSH's openssh-key-v1 format (PROTOCOL.key), built here because Node cannot
 * write it and ssh-keygen is not installed everywhere the tests run. With `cipher`, the private
 * section is random bytes standing for the ciphertext: the scanner only reads the cipher name.
 */
export function opensshKey(cipher: 'none' | 'aes256-ctr' = 'none'): string {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const pub = Buffer.from(publicKey.export({ format: 'jwk' }).x!, 'base64url');
  const seed = Buffer.from(privateKey.export({ format: 'jwk' }).d!, 'base64url');
  const pubBlob = Buffer.concat([sshString('ssh-ed25519'), sshString(pub)]);
  const check = randomBytes(4);
  let priv = Buffer.concat([check, check, sshString('ssh-ed25519'), sshString(pub), sshString(Buffer.concat([seed, pub])), sshString('test@bulwark')]);
  const block = cipher === 'none' ? 8 : 16;
  const pad: number[] = [];
  for (let i = 1; (priv.length + pad.length) % block !== 0; i++) pad.push(i);
  priv = Buffer.concat([priv, Buffer.from(pad)]);
  const kdf = cipher === 'none' ? ['none', Buffer.alloc(0)] as const : ['bcrypt', Buffer.concat([sshString(randomBytes(16)), u32(16)])] as const;
  const blob = Buffer.concat([
    Buffer.from('openssh-key-v1\0', 'latin1'), sshString(cipher), sshString(kdf[0]), sshString(kdf[1]), u32(1), sshString(pubBlob),
    sshString(cipher === 'none' ? priv : randomBytes(priv.length)),
  ]);
  const b64 = blob.toString('base64').replace(/.{70}/g, '$&\n').replace(/\n$/, '');
  return `-----BEGIN OPENSSH PRIVATE KEY-----\n${b64}\n-----END OPENSSH PRIVATE KEY-----\n`;
}
