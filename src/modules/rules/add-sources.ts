/** What an ADD instruction's sources are: shared by the Dockerfile rules and the image history rule. */

/** The compressions and tar forms Docker's ADD unpacks implicitly. */
export const ARCHIVE = /\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tb2|tar\.xz|txz|tar\.zst|tzst|tar\.lz|tlz|tar\.lzma|tar\.Z|taz|gz|bz2|xz|zst|lz|lzma|Z)$/i;
/** Remote sources: any scheme://, or a git SSH address. */
export const URL = /^([a-z][a-z0-9+.-]*:\/\/|git@)/i;

/** A URL's password never reaches a report (the secret scanner reports it, masked). */
export function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/i, '$1:********@');
}
