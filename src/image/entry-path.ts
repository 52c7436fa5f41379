import { BulwarkError } from '../core/errors.js';

/**
 * Turns a tar entry name into path components relative to the image root. Layer tars use relative
 * names ("etc/passwd", "./etc/passwd"); an absolute name or a ".." component is hostile and refused.
 */
export function entryComponents(name: string, where: string): string[] {
  if (name.startsWith('/')) {
    throw new BulwarkError('E_PATH', `${where}: entry "${name}" has an absolute path`);
  }
  const parts = name.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.includes('..')) {
    throw new BulwarkError('E_PATH', `${where}: entry "${name}" climbs out of the image root with ".."`);
  }
  return parts;
}

export const WHITEOUT_PREFIX = '.wh.';
export const OPAQUE_MARKER = '.wh..wh..opq';
