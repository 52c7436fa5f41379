export interface ApkEntry {
  name: string;
  version: string;
  arch?: string;
  origin?: string;
  license?: string;
  maintainer?: string;
  files: string[];
}

/**
 * Parses apk's lib/apk/db/installed: one "X:value" line per field, packages split by blank lines;
 * F: opens a directory and the R: lines after it name files inside it.
 */
export function parseApkInstalled(text: string): ApkEntry[] {
  const entries: ApkEntry[] = [];
  let current: Partial<ApkEntry> & { files: string[] } = { files: [] };
  let dir = '';
  const flush = () => {
    if (current.name && current.version) entries.push(current as ApkEntry);
    current = { files: [] };
    dir = '';
  };
  for (const line of text.split('\n')) {
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (line[1] !== ':') continue;
    const value = line.slice(2);
    switch (line[0]) {
      case 'P': current.name = value; break;
      case 'V': current.version = value; break;
      case 'A': current.arch = value; break;
      case 'o': current.origin = value; break;
      case 'L': current.license = value; break;
      case 'm': current.maintainer = value; break;
      case 'F': dir = value; break;
      case 'R': current.files.push(`/${dir ? `${dir}/` : ''}${value}`); break;
    }
  }
  flush();
  return entries;
}
