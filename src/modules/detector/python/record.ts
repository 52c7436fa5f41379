import { posix } from 'node:path';

/** First column of each row of a CSV text (RECORD quotes paths holding commas or quotes, as Python's csv module does). */
export function csvFirstColumn(text: string): string[] {
  const out: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const q = text.indexOf('"', i);
        if (q < 0) {
          field += text.slice(i);
          i = text.length;
          break;
        }
        field += text.slice(i, q);
        i = q + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      const m = /[,\r\n]/.exec(text.slice(i));
      const end = m ? i + m.index : text.length;
      field = text.slice(i, end);
      i = end;
    }
    const nl = text.indexOf('\n', i);
    i = nl < 0 ? text.length : nl + 1;
    if (field !== '') out.push(field);
  }
  return out;
}

/**
 * Files of a dist-info from its RECORD: paths are relative to the directory holding the dist-info
 * (site-packages), may climb out of it ("../../../bin/tool") or be absolute.
 */
export function filesFromRecord(text: string, siteDir: string): string[] {
  return absolutePaths(csvFirstColumn(text), siteDir);
}

/** Files of an egg-info from installed-files.txt: one path a line, relative to the egg-info directory. */
export function filesFromInstalledFiles(text: string, eggInfoDir: string): string[] {
  const lines = text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
  return absolutePaths(lines, eggInfoDir);
}

function absolutePaths(paths: string[], base: string): string[] {
  return [...new Set(paths.map((p) => posix.resolve(base, p)))].sort();
}
