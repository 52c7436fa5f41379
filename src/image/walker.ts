import { pipeline } from 'node:stream/promises';
import { extract, type Header as Headers } from 'tar-stream';
import type { Readable } from 'node:stream';
import { BulwarkError, isBulwarkError } from '../core/errors.js';
import type { ImageSource } from '../sources/types.js';
import { historyForLayers } from './config.js';
import { decompressor, detectCompression, peek } from './decompress.js';
import { entryComponents, OPAQUE_MARKER, WHITEOUT_PREFIX } from './entry-path.js';
import { DEFAULT_LIMITS, ExpansionGuard } from './limits.js';
import { DigestingStream } from './stream-digest.js';
import { consumeContent, planContent, saveVersion, type ContentOptions, type ContentPlan, type ContentSink } from './content-sink.js';
import { FileTree, type TreeNode } from './tree.js';
import type { Notice } from '../core/package.js';
import type { FileType, LayerInfo } from './types.js';
import { LayeredView, type CaptureStore, type InspectionStore } from './view.js';

/** Sees every layer's raw entries as they stream (whiteouts and opaque markers included, not yet applied). */
export interface LayerEntryObserver {
  addLayer(index: number): void;
  /** `path` absolute; `size` as the tar header says (0 for links); `linkTarget` as in FileInfo (absolute for hard links). */
  addEntry(entry: { path: string; type: FileType; size: number; linkTarget?: string }): void;
  /** The path a `.wh.<name>` entry deletes from lower layers. */
  addWhiteout(path: string): void;
  /** The directory a `.wh..wh..opq` marker makes opaque. */
  addOpaque(dir: string): void;
}

export interface WalkOptions extends ContentOptions {
  /** Called as stored (compressed) bytes of a layer are consumed. */
  onProgress?: (layerIndex: number, storedBytes: number) => void;
  /** Told of every raw layer entry (the lean-image report collects from it without a second pass). */
  observer?: LayerEntryObserver;
}

/** tar-stream entry types as view file types; other entries (e.g. GNU volume headers) are skipped. */
export const TYPE_OF: Record<string, FileType | undefined> = {
  file: 'file',
  'contiguous-file': 'file',
  directory: 'dir',
  symlink: 'symlink',
  link: 'hardlink',
  'character-device': 'char',
  'block-device': 'block',
  fifo: 'fifo',
};

/** Reads every layer once, in order, and returns the merged, read-only view of the image. */
export async function buildView(source: ImageSource, options: WalkOptions): Promise<LayeredView> {
  const limits = options.limits ?? DEFAULT_LIMITS;
  const tree = new FileTree();
  const captures: CaptureStore = new Map();
  const inspections: InspectionStore = new Map();
  const notices: Notice[] = [];
  const history = historyForLayers(source.config);
  const layers: LayerInfo[] = [];
  if (source.layers.length !== source.config.rootfs.diff_ids.length) {
    throw new BulwarkError(
      'E_FORMAT',
      `${source.reference}: manifest lists ${source.layers.length} layers but the config has ${source.config.rootfs.diff_ids.length} diff_ids`,
    );
  }
  for (const [index, layer] of source.layers.entries()) {
    const label = `${source.reference}: layer ${index + 1}/${source.layers.length} (${layer.digest})`;
    const raw = await source.openLayer(index);
    options.observer?.addLayer(index);
    const size = await applyLayer(raw, index, label, { tree, captures, inspections, notices, limits, options, expected: layer });
    layers.push({
      index,
      diffId: layer.diffId,
      digest: layer.digest,
      mediaType: layer.mediaType,
      size,
      storedSize: layer.size,
      createdBy: history[index]?.createdBy,
      created: history[index]?.created,
    });
    recordDeletions(tree, captures, index);
  }
  return new LayeredView(tree, captures, layers, inspections, notices);
}

interface LayerState extends ContentSink {
  tree: FileTree;
  options: WalkOptions;
  expected: { digest: string; diffId: string };
}

async function applyLayer(raw: Readable, index: number, label: string, state: LayerState): Promise<number> {
  const { tree, limits, options, expected } = state;
  const stored = new DigestingStream();
  if (options.onProgress) stored.on('data', () => options.onProgress!(index, stored.bytes));
  const { head, stream } = await peek(raw);
  const compression = detectCompression(head);
  const inflate = decompressor(compression);
  const plain = inflate ? new DigestingStream() : undefined;
  const guard = new ExpansionGuard(limits, () => stored.bytes, label);
  const whiteouts: string[][] = [];
  const opaques: string[][] = [];
  const tar = extract();
  tar.on('entry', (header, body, next) => {
    // A failing entry destroys its body stream; the pipeline reports the failure, not this emitter.
    body.on('error', () => {});
    try {
      const pending = onEntry(header, index, label, state, whiteouts, opaques);
      if (!pending) {
        body.on('end', next).resume();
        return;
      }
      consumeContent(body as unknown as Readable, pending, label, state)
        .then(() => next())
        .catch(next);
    } catch (e) {
      body.resume();
      next(e as Error);
    }
  });
  const stages = [stream, stored, ...(inflate && plain ? [inflate, plain] : []), guard, tar] as const;
  try {
    await pipeline(stages as unknown as [Readable, ...NodeJS.WritableStream[]]);
  } catch (e) {
    throw layerError(e, label, compression);
  }
  const storedDigest = stored.digest();
  // A legacy docker-archive names a layer only by its diff_id; if that layer is compressed anyway,
  // there is no stored digest to check and the diff_id check below is the verification.
  const storedDigestKnown = expected.digest !== expected.diffId;
  if (storedDigestKnown && storedDigest !== expected.digest) {
    throw new BulwarkError('E_DIGEST', `${label}: content digest is ${storedDigest}, refusing a tampered or corrupt blob`);
  }
  const diffId = plain ? plain.digest() : storedDigest;
  if (diffId !== expected.diffId) {
    throw new BulwarkError('E_DIGEST', `${label}: uncompressed digest is ${diffId} but the config says ${expected.diffId}`);
  }
  for (const parts of opaques) tree.opaque(parts, index);
  for (const parts of whiteouts) tree.whiteout(parts, index);
  return guard.bytes;
}

/** Applies one tar header to the tree; returns how to store its content when a module wants it. */
function onEntry(
  header: Headers,
  layer: number,
  label: string,
  state: LayerState,
  whiteouts: string[][],
  opaques: string[][],
): ContentPlan | undefined {
  const parts = entryComponents(header.name, label);
  const base = parts[parts.length - 1] ?? '';
  const observer = state.options.observer;
  if (base.startsWith(WHITEOUT_PREFIX)) {
    if (base === OPAQUE_MARKER) {
      opaques.push(parts.slice(0, -1));
      observer?.addOpaque(`/${parts.slice(0, -1).join('/')}`);
    } else if (!base.startsWith(`${WHITEOUT_PREFIX}${WHITEOUT_PREFIX}`)) {
      const hidden = [...parts.slice(0, -1), base.slice(WHITEOUT_PREFIX.length)];
      whiteouts.push(hidden);
      observer?.addWhiteout(`/${hidden.join('/')}`);
    }
    return undefined;
  }
  const type = TYPE_OF[header.type ?? 'file'];
  if (!type) return undefined;
  const node: Omit<TreeNode, 'children'> = {
    type,
    mode: (header.mode ?? 0) & 0o7777,
    uid: header.uid ?? 0,
    gid: header.gid ?? 0,
    size: header.size ?? 0,
    layer,
  };
  const relative = parts.join('/');
  const absolute = `/${relative}`;
  if (type === 'symlink') node.linkTarget = header.linkname ?? '';
  if (type === 'hardlink') {
    const targetParts = entryComponents(header.linkname ?? '', `${label}: hard link ${absolute}`);
    node.linkTarget = `/${targetParts.join('/')}`;
    const target = state.tree.lookup(targetParts);
    node.size = target?.size ?? 0;
    const targetVersions = state.captures.get(node.linkTarget);
    const content = targetVersions?.[targetVersions.length - 1]?.content;
    if (content && state.options.wants(relative)) saveVersion(state.captures, absolute, layer, content);
  }
  state.tree.put(parts, node);
  observer?.addEntry({ path: absolute, type, size: header.size ?? 0, linkTarget: node.linkTarget });
  if (type !== 'file') return undefined;
  return planContent(state, relative, layer, { size: node.size, mode: node.mode });
}

/** A captured file that a later layer deleted or replaced gets a null version, so history stays truthful. */
function recordDeletions(tree: FileTree, captures: CaptureStore, layer: number): void {
  for (const [path, versions] of captures) {
    const last = versions[versions.length - 1];
    if (!last || last.content === null) continue;
    const node = tree.lookup(path.slice(1).split('/'));
    if (!node || (node.type !== 'file' && node.type !== 'hardlink')) saveVersion(captures, path, layer, null);
  }
}

function layerError(e: unknown, label: string, compression: string): BulwarkError {
  if (isBulwarkError(e)) return e;
  const err = e as NodeJS.ErrnoException;
  const message = err?.message ?? String(e);
  if (err?.code?.startsWith('Z_') || /incorrect header|invalid (block|distance|code)|unexpected end of file/i.test(message)) {
    return new BulwarkError('E_FORMAT', `${label}: corrupt ${compression} data (${message})`);
  }
  if (/unexpected end of data|invalid tar header|truncated/i.test(message)) {
    return new BulwarkError('E_FORMAT', `${label}: truncated or malformed tar (${message})`);
  }
  return new BulwarkError('E_FORMAT', `${label}: cannot read layer (${message})`);
}
