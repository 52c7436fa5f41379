import { basename } from 'node:path';
import { PackageURL } from 'packageurl-js';
import type { ImageArtifact } from '../core/scan-result.js';

export interface ImageIdentity {
  /** Repository with registry, e.g. docker.io/library/debian; the file name for unnamed archives. */
  name: string;
  /** Last path part of the repository, lower case: the purl name. */
  shortName: string;
  repositoryUrl?: string;
  tag?: string;
  /** Manifest digest when known, else the repo digest, else the image ID (config digest). */
  digest: string;
  purl: string;
}

interface ParsedReference {
  repository: string;
  tag?: string;
  digest?: string;
}

/** Splits a Docker reference and applies Docker Hub's implicit registry and library/ namespace. */
export function parseImageReference(ref: string): ParsedReference {
  const at = ref.indexOf('@');
  const digest = at >= 0 ? ref.slice(at + 1) : undefined;
  let repository = at >= 0 ? ref.slice(0, at) : ref;
  let tag: string | undefined;
  const colon = repository.lastIndexOf(':');
  if (colon > repository.lastIndexOf('/')) {
    tag = repository.slice(colon + 1);
    repository = repository.slice(0, colon);
  }
  const parts = repository.split('/');
  const first = parts[0] ?? '';
  const hasRegistry = parts.length > 1 && (first.includes('.') || first.includes(':') || first === 'localhost');
  if (!hasRegistry) repository = `docker.io/${parts.length === 1 ? 'library/' : ''}${repository}`;
  return { repository, ...(tag === undefined ? {} : { tag }), ...(digest === undefined ? {} : { digest }) };
}

function namedReference(a: ImageArtifact): string | undefined {
  if (a.name) return a.name;
  if (a.repoTags[0]) return a.repoTags[0];
  if (a.source === 'registry' || a.source === 'docker-engine') return a.reference;
  return a.repoDigests[0];
}

function fileStem(path: string): string {
  const stem = basename(path).replace(/\.(tar|tgz|tar\.gz|tar\.zst|oci)$/i, '');
  return stem === '' ? 'image' : stem;
}

export function imageIdentity(a: ImageArtifact): ImageIdentity {
  const ref = namedReference(a);
  const parsed = ref === undefined ? undefined : parseImageReference(ref);
  const repoDigest = a.repoDigests.map((d) => d.slice(d.indexOf('@') + 1)).find((d) => d.includes(':'));
  const digest = a.manifestDigest ?? parsed?.digest ?? repoDigest ?? a.configDigest;
  const name = parsed?.repository ?? fileStem(a.reference);
  const shortName = (name.split('/').pop() ?? name).toLowerCase();
  const qualifiers: Record<string, string> = {};
  if (a.architecture) qualifiers['arch'] = a.architecture;
  if (parsed) qualifiers['repository_url'] = parsed.repository;
  if (parsed?.tag) qualifiers['tag'] = parsed.tag;
  const purl = new PackageURL('oci', undefined, shortName, digest, qualifiers, undefined).toString();
  return {
    name,
    shortName,
    ...(parsed ? { repositoryUrl: parsed.repository } : {}),
    ...(parsed?.tag ? { tag: parsed.tag } : {}),
    digest,
    purl,
  };
}
