/**
 * Small in-memory images for the image-rule unit tests: a FileTree and captures turned into the same
 * LayeredView the layer walker builds, with content captured only where the pack's `imageWants` asks
 * (so a rule that reads a file the pack does not want fails its test).
 */
import type { OsInfo, Package } from '../../../src/core/package.js';
import type { ImageConfig } from '../../../src/image/config.js';
import { FileTree } from '../../../src/image/tree.js';
import type { FileType, LayerInfo } from '../../../src/image/types.js';
import { LayeredView, type CaptureStore } from '../../../src/image/view.js';
import { loadEolData } from '../../../src/modules/eol/index.js';
import { imageWants, type ImageRuleInput, type ImageRuleOptions } from '../../../src/modules/rules/image/index.js';

export interface FakeFile {
  path: string;
  type?: FileType;
  mode?: number;
  uid?: number;
  gid?: number;
  /** Defaults to the content's length. */
  size?: number;
  content?: string;
  linkTarget?: string;
  layer?: number;
}

export interface FakeImage {
  files: FakeFile[];
  config?: Partial<ImageConfig>;
  /** Replaces config.config (User, Healthcheck, Volumes, Labels). */
  runConfig?: NonNullable<ImageConfig['config']>;
  repoTags?: string[];
  os?: OsInfo;
  packages?: Package[];
}

export const NOW = new Date('2026-11-28T12:00:00Z');

export const OPTIONS: ImageRuleOptions = { now: NOW, maxAgeDays: 90, eol: loadEolData(), eolNearDays: 90 };

export const DEBIAN_12: OsInfo = { family: 'debian', version: '12', codename: 'bookworm', source: '/etc/os-release' };

/** An image that passes every rule: the base each unit case changes in one way. */
export function cleanImage(): Required<Pick<FakeImage, 'files' | 'runConfig' | 'repoTags' | 'os' | 'packages'>> & { config: Partial<ImageConfig> } {
  return {
    files: [
      { path: '/etc', type: 'dir' },
      { path: '/etc/os-release', content: 'ID=debian\nVERSION_ID="12"\n' },
      { path: '/etc/passwd', content: 'root:x:0:0:root:/root:/usr/sbin/nologin\napp:x:10001:10001::/app:/usr/sbin/nologin\n' },
      { path: '/etc/group', content: 'root:x:0:\napp:x:10001:\n' },
      { path: '/etc/shadow', mode: 0o640, content: 'root:*:19000:0:99999:7:::\napp:!:19000:0:99999:7:::\n' },
      { path: '/tmp', type: 'dir', mode: 0o1777 },
      { path: '/app', type: 'dir', layer: 1 },
      { path: '/app/server', mode: 0o755, size: 1_000_000, layer: 1 },
      { path: '/app/.npmrc', content: 'registry=https://registry.npmjs.org/\n', layer: 1 },
    ],
    runConfig: { User: 'app', Healthcheck: { Test: ['CMD', '/app/server', '--health'] } },
    repoTags: ['registry.example/app:1.4.2'],
    os: DEBIAN_12,
    packages: [],
    config: {
      created: '2026-11-20T10:00:00Z',
      history: [{ created_by: '/bin/sh -c #(nop) ADD file:0123abcd in / ' }, { created_by: 'COPY app/ /app/ # buildkit' }],
    },
  };
}

export function fakeInput(image: FakeImage): ImageRuleInput {
  const tree = new FileTree();
  const captures: CaptureStore = new Map();
  let layers = 1;
  for (const f of image.files) {
    const layer = f.layer ?? 0;
    layers = Math.max(layers, layer + 1);
    const type = f.type ?? 'file';
    const size = f.size ?? (f.content !== undefined ? Buffer.byteLength(f.content) : 0);
    const mode = f.mode ?? (type === 'dir' ? 0o755 : type === 'symlink' ? 0o777 : 0o644);
    tree.put(f.path.slice(1).split('/'), { type, mode, uid: f.uid ?? 0, gid: f.gid ?? 0, size, layer, ...(f.linkTarget ? { linkTarget: f.linkTarget } : {}) });
    if (type === 'file' && f.content !== undefined && imageWants(f.path.slice(1))) {
      captures.set(f.path, [{ layer, content: Buffer.from(f.content) }]);
    }
  }
  const infos: LayerInfo[] = Array.from({ length: layers }, (_, index) => ({
    index,
    diffId: `sha256:${String(index).padStart(64, '0')}`,
    digest: `sha256:${String(index + 100).padStart(64, '0')}`,
    mediaType: 'application/vnd.oci.image.layer.v1.tar',
    size: 0,
  }));
  const config: ImageConfig = {
    rootfs: { type: 'layers', diff_ids: infos.map((l) => l.diffId) },
    ...image.config,
    config: image.runConfig ?? {},
  };
  const input: ImageRuleInput = {
    target: 'registry.example/app:1.4.2',
    repoTags: image.repoTags ?? [],
    config,
    fs: new LayeredView(tree, captures, infos),
    packages: image.packages ?? [],
  };
  if (image.os) input.os = image.os;
  return input;
}

/** A dpkg package owning these files. */
export function deb(name: string, files: string[], version = '1.0-1'): Package {
  return { type: 'deb', name, version, licenses: [], purl: `pkg:deb/debian/${name}@${version}`, files, location: '/var/lib/dpkg/status' };
}
