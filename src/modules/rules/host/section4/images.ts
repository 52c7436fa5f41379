import type Docker from 'dockerode';
import type { HostView, ImageHistoryEntry } from '../../../../host/types.js';
import { engineOf } from '../section5/support.js';

/** What the report calls an image: its first tag, else its short id. */
export function imageLabel(tags: readonly string[] | null | undefined, id: string): string {
  const tag = (tags ?? []).find((t) => t !== '<none>:<none>' && t !== '');
  return tag ?? id.replace(/^sha256:/, '').slice(0, 12);
}

export interface ImageDetails {
  id: string;
  label: string;
  inspect?: Docker.ImageInspectInfo;
  /** Oldest entry first (the Engine API answers newest first). */
  history?: ImageHistoryEntry[];
}

/** Every listed image with its inspect and history, sorted by label; undefined when the image details were not fetched. */
export function imageDetails(view: HostView): ImageDetails[] | undefined {
  const engine = engineOf(view);
  if (!engine.imageInspects || !engine.imageHistories) return undefined;
  const inspects = new Map(engine.imageInspects.map((i) => [i.Id, i]));
  return engine.images
    .map((img) => {
      const inspect = inspects.get(img.Id);
      const history = engine.imageHistories![img.Id];
      return {
        id: img.Id,
        label: imageLabel(img.RepoTags, img.Id),
        ...(inspect ? { inspect } : {}),
        ...(history ? { history: [...history].reverse() } : {}),
      };
    })
    .sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : a.id < b.id ? -1 : 1));
}

export const NO_IMAGE_DETAILS = 'image inspect and history were not fetched: not checked';

/** The shell command of a RUN history line, or undefined for other instructions. */
export function runCommand(createdBy: string): string | undefined {
  const text = createdBy.replace(/\s+/g, ' ').trim();
  if (/#\(nop\)/.test(text)) return undefined;
  const buildkit = /^RUN (?:\|\d+ [^/]*)?(.*?)(?: # buildkit)?$/.exec(text);
  const body = buildkit ? buildkit[1]! : text;
  const shell = /^\/bin\/(?:ba)?sh -c (.*)$/.exec(body);
  return (shell ? shell[1]! : body).trim();
}

const UPDATE = /\b(?:apt-get|apt|aptitude|yum|dnf|microdnf|zypper|apk|pacman)\s+(?:-\S+\s+)*(?:update|makecache|refresh|-Sy)\b|\bpacman\s+-Sy\b/;
const INSTALL = /\b(?:apt-get|apt|aptitude|yum|dnf|microdnf|zypper|apk|pacman)\s+(?:-\S+\s+)*(?:install|add|upgrade|dist-upgrade|in|-S\b)/;

/** True when a RUN refreshes package indexes without installing anything in the same instruction (CIS 4.7). */
export function updateAlone(command: string): boolean {
  return UPDATE.test(command) && !INSTALL.test(command);
}
