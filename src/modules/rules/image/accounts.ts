import type { FileSystemView } from '../../../image/types.js';

/** One line of /etc/passwd, /etc/group or /etc/shadow: its name, second field and numeric id (third field). */
export interface AccountLine {
  name: string;
  /** The password field (passwd "x", shadow hash, "" when empty). */
  password: string;
  /** UID (passwd) or GID (group); NaN in shadow. */
  id: number;
  line: number;
}

/** Parses a colon-separated account database; comments, blank lines and NIS "+"/"-" lines are skipped. */
export function parseAccounts(text: string): AccountLine[] {
  const out: AccountLine[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/\r$/, '');
    if (!line.trim() || line.startsWith('#') || /^[+-]/.test(line)) return;
    const fields = line.split(':');
    if (fields.length < 2 || !fields[0]) return;
    const id = fields[2] !== undefined && /^\d+$/.test(fields[2]) ? Number(fields[2]) : Number.NaN;
    out.push({ name: fields[0], password: fields[1] ?? '', id, line: i + 1 });
  });
  return out;
}

export function readAccounts(fs: FileSystemView, path: string): AccountLine[] | undefined {
  const content = fs.read(path);
  return content ? parseAccounts(content.toString('utf8')) : undefined;
}
