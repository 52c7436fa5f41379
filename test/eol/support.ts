import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SHIPPED_EOL_DIR } from '../../src/modules/eol/index.js';

/**
 * A deliberately naive reader of the shipped distro-info CSVs (split on newlines and commas, nothing
 * else), so tests compare the module against the file's own cells rather than against remembered dates.
 */
export function naiveDistroInfo(name: 'debian.csv' | 'ubuntu.csv'): Array<Record<string, string>> {
  const [head, ...lines] = readFileSync(join(SHIPPED_EOL_DIR, name), 'utf8').trim().split('\n');
  const columns = head!.split(',');
  return lines.map((line) => {
    const cells = line.split(',');
    return Object.fromEntries(columns.map((c, i) => [c, cells[i] ?? '']));
  });
}

export function addDays(iso: string, days: number, time = '00:00:00'): Date {
  const d = new Date(`${iso}T${time}Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d;
}
