import { basename } from 'node:path';
import { PackageURL } from 'packageurl-js';
import { parseReference } from '../core/image-reference.js';
import type { ImageArtifact } from '../core/scan-result.js';

export interface ImageIdentity {
  /** Repository with registry, e.g. docker.io/library/debian; the file name for unnamed archives. */
  name: string;
  /** Last path part of the repository, lower case: the purl name. */
  shortName: string;
  repositoryUrl?: string;
  tag?: string;
  /** Manifest digest when known, else the repo digest, else the image ID; absent for a directory. */
  digest?: string;
  /** pkg:oci purl of the image; absent for a directory, which has none. */
  purl?: string;
}

/** A reference as docker reads it; undefined for names that are not references (a file, an ID). */
function parsed(ref: string): { repository: string; tag?: string; digest?: string } | undefined {
  try {
    const r = parseReference(ref);
    return { repository: `${r.registry}/${r.repository}`, ...(r.tag ? { tag: r.tag } : {}), ...(r.digest ? { digest: r.digest } : {}) };
  } catch {
    return undefined;
  }
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
  const reference = ref === undefined ? undefined : parsed(ref);
  const repoDigest = a.repoDigests.map((d) => d.slice(d.indexOf('@') + 1)).find((d) => d.includes(':'));
  const digest = a.manifestDigest ?? reference?.digest ?? repoDigest ?? a.configDigest;
  const name = reference?.repository ?? fileStem(a.reference);
  const shortName = (name.split('/').pop() ?? name).toLowerCase();
  const qualifiers: Record<string, string> = {};
  if (a.architecture) qualifiers['arch'] = a.architecture;
  if (reference) qualifiers['repository_url'] = reference.repository;
  if (reference?.tag) qualifiers['tag'] = reference.tag;
  if (a.source === 'directory' || !digest) return { name: a.reference, shortName };
  const purl = new PackageURL('oci', undefined, shortName, digest, qualifiers, undefined).toString();
  return {
    name,
    shortName,
    ...(reference ? { repositoryUrl: reference.repository } : {}),
    ...(reference?.tag ? { tag: reference.tag } : {}),
    digest,
    purl,
  };
}
