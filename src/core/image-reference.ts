import { BulwarkError } from './errors.js';

/** A parsed image reference, docker style: `[host[:port]/]repo[:tag][@digest]`. */
export interface ImageReference {
  /** What the user typed. */
  input: string;
  /** Registry as named in the reference, normalized (docker.io for Docker Hub). */
  registry: string;
  /** host[:port] to contact; differs from `registry` only for Docker Hub. */
  endpoint: string;
  repository: string;
  tag?: string;
  digest?: string;
}

const DOCKER_HUB = 'docker.io';
const DOCKER_HUB_ENDPOINT = 'registry-1.docker.io';
const COMPONENT = /^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$/;
const TAG = /^\w[\w.-]{0,127}$/;
const DIGEST = /^(sha256:[a-f0-9]{64}|sha512:[a-f0-9]{128})$/;
const HOST = /^(\[[0-9a-fA-F:.]+\]|[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?(\.[a-zA-Z0-9]([a-zA-Z0-9-]*[a-zA-Z0-9])?)*)(:\d{1,5})?$/;

function invalid(input: string, why: string): BulwarkError {
  return new BulwarkError('E_INPUT', `${input}: invalid image reference (${why})`);
}

/** Docker treats the first path component as a host only when it looks like one. */
function looksLikeHost(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost' || component.startsWith('[');
}

function splitDigest(input: string, rest: string): { name: string; digest?: string } {
  const at = rest.indexOf('@');
  if (at < 0) return { name: rest };
  const digest = rest.slice(at + 1);
  if (!DIGEST.test(digest)) throw invalid(input, `digest "${digest}" is not sha256:<64 hex> or sha512:<128 hex>`);
  return { name: rest.slice(0, at), digest };
}

function splitTag(input: string, name: string): { path: string; tag?: string } {
  const colon = name.lastIndexOf(':');
  if (colon < 0 || colon < name.lastIndexOf('/')) return { path: name };
  const tag = name.slice(colon + 1);
  if (!TAG.test(tag)) throw invalid(input, `tag "${tag}" is not valid`);
  return { path: name.slice(0, colon), tag };
}

function splitHost(input: string, path: string): { registry: string; repository: string } {
  const slash = path.indexOf('/');
  const first = slash < 0 ? '' : path.slice(0, slash);
  if (slash >= 0 && looksLikeHost(first)) {
    if (!HOST.test(first)) throw invalid(input, `registry host "${first}" is not valid`);
    const registry = first === 'index.docker.io' ? DOCKER_HUB : first;
    return { registry, repository: path.slice(slash + 1) };
  }
  return { registry: DOCKER_HUB, repository: path };
}

export function parseReference(input: string): ImageReference {
  const trimmed = input.trim().replace(/^docker:\/\//, '');
  if (trimmed === '') throw invalid(input, 'empty');
  const { name, digest } = splitDigest(input, trimmed);
  const { path, tag } = splitTag(input, name);
  const { registry, repository: repo } = splitHost(input, path);
  const components = repo.split('/');
  for (const c of components) {
    if (!COMPONENT.test(c)) throw invalid(input, `repository component "${c}" must be lowercase letters, digits and separators`);
  }
  const repository = registry === DOCKER_HUB && components.length === 1 ? `library/${repo}` : repo;
  return {
    input,
    registry,
    endpoint: registry === DOCKER_HUB ? DOCKER_HUB_ENDPOINT : registry,
    repository,
    tag: tag ?? (digest ? undefined : 'latest'),
    digest,
  };
}

/** The short name docker shows: Docker Hub names lose `docker.io/` and `library/`. */
export function familiarRepository(ref: ImageReference): string {
  if (ref.registry !== DOCKER_HUB) return `${ref.registry}/${ref.repository}`;
  return ref.repository.startsWith('library/') ? ref.repository.slice('library/'.length) : ref.repository;
}

export function displayName(ref: ImageReference): string {
  const repo = familiarRepository(ref);
  if (ref.tag) return `${repo}:${ref.tag}`;
  return `${repo}@${ref.digest ?? ''}`;
}

/** Docker talks plain HTTP to loopback registries without asking. */
export function isLoopbackHost(hostPort: string): boolean {
  const host = hostPort.startsWith('[') ? hostPort.slice(1, hostPort.indexOf(']')) : hostPort.replace(/:\d+$/, '');
  if (host === 'localhost' || host === '::1') return true;
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}
