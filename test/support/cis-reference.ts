import { readFileSync } from 'node:fs';

export interface CisCheckRow {
  id: string;
  title: string;
  dataSource: string;
  needsDaemonApi: boolean;
}

/**
 * The CIS Docker Benchmark v1.6 check list (id, title, data source), a copy of the workplace's
 * reference list kept with the tests so they run on a bare machine.
 */
export function cisReference(): Map<string, CisCheckRow> {
  const text = readFileSync(new URL('../fixtures/cis-docker-benchmark-checks.tsv', import.meta.url), 'utf8');
  const rows = text.split('\n').slice(1).filter((l) => l.trim() !== '').map((l) => l.split('\t'));
  return new Map(rows.map(([id, title, dataSource, needs]) => [id!, { id: id!, title: title!, dataSource: dataSource!, needsDaemonApi: needs === 'yes' }]));
}
