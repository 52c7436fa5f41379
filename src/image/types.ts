export type FileType = 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';

/** Where a file's current version came from. */
export interface LayerInfo {
  index: number;
  diffId: string;
  digest: string;
  mediaType: string;
  /** Bytes of the uncompressed layer tar, known once the layer has been read. */
  size: number;
  /** Stored (compressed) size when known. */
  storedSize?: number;
  createdBy?: string;
  created?: string;
}

export interface FileInfo {
  /** Absolute path inside the image, e.g. /etc/os-release. */
  path: string;
  type: FileType;
  /** Permission bits plus setuid/setgid/sticky (no file-type bits). */
  mode: number;
  uid: number;
  gid: number;
  size: number;
  /** Symlink target as stored, or the hard link's target path (absolute, inside the image). */
  linkTarget?: string;
  /** Index of the layer that last wrote this entry. */
  layer: number;
}

/** One version of a captured file: its content as of the end of a layer, or null once it was deleted. */
export interface FileVersion {
  layer: number;
  content: Buffer | null;
}

/**
 * The read-only merged filesystem of an image. Metadata exists for every file; content only for the
 * files some module asked for (paths a detector `wants`), captured while the layers streamed.
 */
export interface FileSystemView {
  readonly layers: readonly LayerInfo[];
  /** Metadata of a path, symlinks in the parent directories resolved; `follow` also resolves the last part. */
  stat(path: string, options?: { follow?: boolean }): FileInfo | undefined;
  /** Content of a captured file, following symlinks inside the image root. Undefined when absent. */
  read(path: string): Buffer | undefined;
  /** Every captured version of a path across layers, oldest first (symlinks resolved on the final path). */
  history(path: string): FileVersion[];
  /** Absolute paths of files present in the final image whose content was captured, sorted. */
  capturedPaths(): string[];
  /** Every entry of the final image, in path order. */
  entries(): Iterable<FileInfo>;
  /** Entries directly inside a directory. */
  list(dir: string): FileInfo[];
}
