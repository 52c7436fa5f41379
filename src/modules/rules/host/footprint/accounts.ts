/** Readers of the account databases under a host root: /etc/passwd, /etc/group, /etc/shadow. */
import type { HostView } from '../../../../host/types.js';
import { readText } from '../section1/define.js';

export interface PasswdEntry {
  name: string;
  uid: number;
  gid: number;
  home: string;
  shell: string;
  /** 1-based line in /etc/passwd. */
  line: number;
}

export interface GroupEntry {
  name: string;
  gid: number;
  members: string[];
}

export interface ShadowEntry {
  name: string;
  /** The password field as written ("" for none, "!"/"*" for locked). */
  hash: string;
  line: number;
}

function rows(text: string | undefined): Array<{ fields: string[]; line: number }> {
  if (!text) return [];
  const out: Array<{ fields: string[]; line: number }> = [];
  text.split('\n').forEach((raw, i) => {
    const l = raw.replace(/\r$/, '');
    if (l.trim() === '' || l.startsWith('#')) return;
    // NIS compat entries ("+", "-name") are not local accounts.
    if (l.startsWith('+') || l.startsWith('-')) return;
    out.push({ fields: l.split(':'), line: i + 1 });
  });
  return out;
}

export function parsePasswd(text: string | undefined): PasswdEntry[] {
  return rows(text).flatMap(({ fields, line }) => {
    if (fields.length < 7 || !/^\d+$/.test(fields[2]!) || !/^\d+$/.test(fields[3]!)) return [];
    return [{ name: fields[0]!, uid: Number(fields[2]), gid: Number(fields[3]), home: fields[5]!, shell: fields[6]!, line }];
  });
}

export function parseGroup(text: string | undefined): GroupEntry[] {
  return rows(text).flatMap(({ fields }) => {
    if (fields.length < 4 || !/^\d+$/.test(fields[2]!)) return [];
    const members = fields[3]!.split(',').map((m) => m.trim()).filter((m) => m !== '');
    return [{ name: fields[0]!, gid: Number(fields[2]), members }];
  });
}

export function parseShadow(text: string | undefined): ShadowEntry[] {
  return rows(text).flatMap(({ fields, line }) => (fields.length < 2 ? [] : [{ name: fields[0]!, hash: fields[1]!, line }]));
}

export async function readPasswd(view: HostView): Promise<PasswdEntry[] | undefined> {
  const text = await readText(view, '/etc/passwd');
  return text === undefined ? undefined : parsePasswd(text);
}

export async function readGroup(view: HostView): Promise<GroupEntry[] | undefined> {
  const text = await readText(view, '/etc/group');
  return text === undefined ? undefined : parseGroup(text);
}

export async function readShadow(view: HostView): Promise<ShadowEntry[] | undefined> {
  const text = await readText(view, '/etc/shadow');
  return text === undefined ? undefined : parseShadow(text);
}

/** Members of a group: listed in /etc/group, plus accounts whose primary group it is. Sorted, unique. */
export function groupMembers(group: GroupEntry, passwd: readonly PasswdEntry[]): string[] {
  const names = new Set(group.members);
  for (const p of passwd) if (p.gid === group.gid) names.add(p.name);
  return [...names].sort();
}
