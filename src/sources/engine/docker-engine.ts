import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import Docker from 'dockerode';
import { BulwarkError } from '../../core/errors.js';
import { TarBlobStore } from '../archive/blob-store.js';
import { openDockerArchive } from '../archive/docker-archive.js';
import type { ImageSource } from '../types.js';

/** Connection settings from --docker-host or DOCKER_HOST, as the docker CLI reads them. */
export function engineConnection(dockerHost?: string): Docker.DockerOptions {
  const host = dockerHost ?? process.env.DOCKER_HOST;
  if (!host) return { socketPath: '/var/run/docker.sock' };
  if (host.startsWith('unix://')) return { socketPath: host.slice('unix://'.length) };
  const url = /^(tcp|http|https):\/\/([^:/]+)(?::(\d+))?/.exec(host);
  if (!url) throw new BulwarkError('E_USAGE', `docker host "${host}": expected unix:///path or tcp://host:port`);
  return { protocol: url[1] === 'https' ? 'https' : 'http', host: url[2], port: Number(url[3] ?? 2375) };
}

/** The engine address as a user would write it, for messages. */
export function engineAddress(dockerHost?: string): string {
  return describe(engineConnection(dockerHost));
}

function describe(options: Docker.DockerOptions): string {
  return options.socketPath ?? `${options.protocol}://${options.host}:${options.port}`;
}

function engineError(e: unknown, where: string, name: string): BulwarkError {
  const err = e as { statusCode?: number; code?: string; message?: string };
  if (err.statusCode === 404) return new BulwarkError('E_NOT_FOUND', `${name}: no such image in the Docker engine at ${where}`);
  if (err.code === 'ENOENT' || err.code === 'ECONNREFUSED' || err.code === 'EACCES') {
    return new BulwarkError('E_ENGINE', `cannot reach the Docker engine at ${where} (${err.code})`);
  }
  return new BulwarkError('E_ENGINE', `Docker engine at ${where}: ${err.message ?? String(e)}`.split('\n')[0]!);
}

/** True when an engine answers at the configured address; used by --image-src auto-selection. */
export async function engineAvailable(dockerHost?: string): Promise<boolean> {
  try {
    await new Docker(engineConnection(dockerHost)).ping();
    return true;
  } catch {
    return false;
  }
}

/**
 * A local image through the Engine API (GET /images/{name}/get), never the docker CLI. The export is
 * spooled to scratch space because its manifest comes last in the stream and layers need random access.
 */
export async function openEngineImage(name: string, options: { dockerHost?: string; tempDir: string; timeoutMs: number }): Promise<ImageSource> {
  const connection = { ...engineConnection(options.dockerHost), timeout: options.timeoutMs };
  const where = describe(connection);
  const docker = new Docker(connection);
  let inspect: Docker.ImageInspectInfo;
  try {
    inspect = await docker.getImage(name).inspect();
  } catch (e) {
    throw engineError(e, where, name);
  }
  const target = join(options.tempDir, 'engine-export.tar');
  try {
    const exported = await docker.getImage(name).get();
    await pipeline(exported, createWriteStream(target));
  } catch (e) {
    throw engineError(e, where, name);
  }
  const source = await openDockerArchive(await TarBlobStore.open(target, `docker-engine:${name}`), name, { kind: 'docker-engine' });
  if (source.configDigest !== inspect.Id) {
    throw new BulwarkError('E_DIGEST', `${name}: exported config digest ${source.configDigest} differs from the engine's image ID ${inspect.Id}`);
  }
  return { ...source, repoTags: inspect.RepoTags ?? [], repoDigests: inspect.RepoDigests ?? [] };
}
