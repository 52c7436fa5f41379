/**
 * Attribution: cgroup path → container id (containerIdFromCgroup) → ContainerInfo from the engine
 * (inspect of the container, then of its image for RepoDigests), cached per id; container_stop
 * events invalidate the entry. Events whose cgroup names no container are host events and keep
 * `container` undefined. A container the engine does not know (already removed, another runtime)
 * still gets `{ id }`.
 */
import Docker from 'dockerode';
import { engineConnection } from '../../sources/engine/docker-engine.js';
import { containerIdFromCgroup, type ContainerInfo, type RuntimeEvent } from '../events.js';
import { splitImage } from '../sensors/docker.js';

export interface AttributorOptions {
  dockerHost?: string;
  docker?: Docker;
  /** Bound on each inspect (default 5 s). */
  timeoutMs?: number;
  /** How long a negative answer (engine does not know the id) is cached (default 10 s). */
  negativeTtlMs?: number;
}

export class Attributor {
  private readonly docker: Docker;
  private readonly cache = new Map<string, Promise<ContainerInfo>>();
  private readonly negative = new Map<string, number>();
  private readonly negativeTtlMs: number;
  /** Inspect calls made (tests check the cache). */
  inspects = 0;

  constructor(options: AttributorOptions = {}) {
    this.docker = options.docker ?? new Docker({ ...engineConnection(options.dockerHost), timeout: options.timeoutMs ?? 5000 });
    this.negativeTtlMs = options.negativeTtlMs ?? 10_000;
  }

  /**
   * Fills `event.container` (from its cgroup, or from the id a Docker event already carries) and
   * returns the event. container_stop drops the cached entry after attributing the event.
   */
  async attribute(event: RuntimeEvent): Promise<RuntimeEvent> {
    const id = event.container?.id ?? (event.cgroup !== undefined ? containerIdFromCgroup(event.cgroup) : undefined);
    if (id) event.container = { ...event.container, ...(await this.container(id)), id };
    if (event.type === 'container_stop' && id) this.invalidate(id);
    return event;
  }

  /** ContainerInfo for a 64-hex id (cached). */
  container(id: string): Promise<ContainerInfo> {
    const neg = this.negative.get(id);
    if (neg !== undefined && Date.now() - neg < this.negativeTtlMs) return Promise.resolve({ id });
    let pending = this.cache.get(id);
    if (!pending) {
      pending = this.lookup(id);
      this.cache.set(id, pending);
    }
    return pending;
  }

  invalidate(id: string): void {
    this.cache.delete(id);
    this.negative.delete(id);
  }

  private async lookup(id: string): Promise<ContainerInfo> {
    this.inspects++;
    let c: Docker.ContainerInspectInfo;
    try {
      c = await this.docker.getContainer(id).inspect();
    } catch {
      this.cache.delete(id);
      this.negative.set(id, Date.now());
      return { id };
    }
    const info: ContainerInfo = { id: c.Id };
    const name = c.Name?.replace(/^\//, '');
    if (name) info.name = name;
    if (c.Config?.Image) Object.assign(info, splitImage(c.Config.Image));
    if (c.Image) info.imageId = c.Image;
    if (c.State?.StartedAt && !c.State.StartedAt.startsWith('0001-')) info.startedAt = c.State.StartedAt;
    try {
      const image = await this.docker.getImage(c.Image).inspect();
      const repo = info.imageRepository;
      const digest = image.RepoDigests?.find((d) => repo !== undefined && d.startsWith(`${repo}@`)) ?? image.RepoDigests?.[0];
      if (digest) info.imageDigest = digest;
    } catch {
      // image removed since: no digest
    }
    return info;
  }
}
