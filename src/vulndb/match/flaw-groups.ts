import type { OsvRecordCore } from '../types.js';

const isCve = (id: string): boolean => /^CVE-\d{4}-\d+$/i.test(id);

/** Every id a record answers to: its own, its aliases and the upstream flaws it restates. */
export function recordIds(record: OsvRecordCore): string[] {
  return [record.id, ...record.aliases, ...(record.upstream ?? [])];
}

/**
 * Groups the records that hit one package into flaws, so that each flaw is one finding listing every id
 * (CVE, GHSA, DSA, distro ids). A CVE is the flaw's name when there is one; a record naming several CVEs
 * (a DSA fixing three) joins each of them rather than gluing them into one. Records without a CVE are
 * joined through shared ids (a GHSA and the PYSEC record that aliases it).
 */
export function groupByFlaw(records: OsvRecordCore[]): Map<string, OsvRecordCore[]> {
  const groups = new Map<string, OsvRecordCore[]>();
  const add = (key: string, record: OsvRecordCore) => {
    const list = groups.get(key) ?? [];
    if (!list.includes(record)) list.push(record);
    groups.set(key, list);
  };
  const withoutCve: OsvRecordCore[] = [];
  for (const record of records) {
    const cves = [...new Set(recordIds(record).filter(isCve).map((id) => id.toUpperCase()))];
    if (cves.length === 0) withoutCve.push(record);
    for (const cve of cves) add(cve, record);
  }
  // Union-find over the ids of records with no CVE.
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  for (const record of withoutCve) {
    const ids = recordIds(record);
    for (const id of ids) if (!parent.has(id)) parent.set(id, id);
    for (const id of ids.slice(1)) {
      const a = find(ids[0] as string);
      const b = find(id);
      if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
    }
  }
  // The union's lexically smallest id names it: GHSA before GO, PYSEC and RUSTSEC ids.
  for (const record of withoutCve) add(find(record.id), record);
  return groups;
}
