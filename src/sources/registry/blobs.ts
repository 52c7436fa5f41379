import type { Readable } from 'node:stream';
import { BulwarkError } from '../../core/errors.js';
import { parseImageConfig, type ImageConfig } from '../../image/config.js';
import type { RegistryClient } from './client.js';
import { verifyDigest } from '../digest.js';
import type { Descriptor } from '../oci-schema.js';
import { failForStatus } from './status.js';
import { guardStream, readLimited } from './transport.js';

const MAX_CONFIG_BYTES = 16 * 1024 * 1024;

/** Fetches the image config blob, checks its digest and size, and parses it. */
export async function fetchConfig(client: RegistryClient, config: Descriptor): Promise<ImageConfig> {
  const ctx = client.ctx;
  const { res, url } = await client.get(`/blobs/${config.digest}`);
  if (res.statusCode !== 200) return failForStatus(res, url, `config blob ${config.digest}`, ctx);
  const bytes = await readLimited(res, Math.min(MAX_CONFIG_BYTES, config.size + 1), url, ctx);
  verifyDigest(bytes, config.digest, `config blob ${config.digest}`, ctx.label);
  if (bytes.length !== config.size) {
    throw new BulwarkError('E_DIGEST', `${ctx.label}: config blob ${config.digest} is ${bytes.length} bytes, manifest says ${config.size}`);
  }
  return parseImageConfig(bytes, `${ctx.label}: config ${config.digest}`);
}

/**
 * Opens a blob as a stream without buffering it; the consumer verifies its digest while reading.
 * With `SourceOptions.layerCache` set, the blob comes from that cache, which fetches it at most once.
 */
export async function openBlob(client: RegistryClient, digest: string, what: string): Promise<Readable> {
  // `options` is private to the client; bracket access keeps this change inside blobs.ts.
  const cache = client['options'].layerCache;
  if (cache) return cache.open(digest, () => fetchBlob(client, digest, what), { what: `${client.ctx.label}: ${what}` });
  return fetchBlob(client, digest, what);
}

async function fetchBlob(client: RegistryClient, digest: string, what: string): Promise<Readable> {
  const { res, url } = await client.get(`/blobs/${digest}`);
  if (res.statusCode !== 200) return failForStatus(res, url, `${what} ${digest}`, client.ctx);
  return guardStream(res.body, url, client.ctx);
}
