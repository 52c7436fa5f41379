import type { RpmHeader } from './header.js';

/** rpm tag numbers (rpmtag.h) the detector reads. */
export const Tag = {
  NAME: 1000,
  VERSION: 1001,
  RELEASE: 1002,
  EPOCH: 1003,
  VENDOR: 1011,
  LICENSE: 1014,
  ARCH: 1022,
  OLDFILENAMES: 1027,
  SOURCERPM: 1044,
  DIRINDEXES: 1116,
  BASENAMES: 1117,
  DIRNAMES: 1118,
} as const;

/** The fields of one installed rpm, straight from its header. */
export interface RpmRecord {
  headerNumber: number;
  name: string;
  version: string;
  release: string;
  epoch?: number;
  arch?: string;
  sourceRpm?: string;
  license?: string;
  vendor?: string;
  files: string[];
}

export function readRecord(header: RpmHeader, headerNumber: number): RpmRecord {
  const name = required(header, Tag.NAME, 'NAME');
  const record: RpmRecord = {
    headerNumber,
    name,
    version: required(header, Tag.VERSION, 'VERSION'),
    release: required(header, Tag.RELEASE, 'RELEASE'),
    files: readFiles(header),
  };
  const epoch = header.numbers(Tag.EPOCH)?.[0];
  if (epoch !== undefined) record.epoch = epoch;
  setIfPresent(record, 'arch', header.string(Tag.ARCH));
  setIfPresent(record, 'sourceRpm', header.string(Tag.SOURCERPM));
  setIfPresent(record, 'license', header.string(Tag.LICENSE));
  setIfPresent(record, 'vendor', header.string(Tag.VENDOR));
  return record;
}

function required(header: RpmHeader, tag: number, label: string): string {
  const value = header.string(tag);
  if (value === undefined || value === '') header.fail(`missing ${label} (tag ${tag})`);
  return value;
}

function setIfPresent(record: RpmRecord, key: 'arch' | 'sourceRpm' | 'license' | 'vendor', value: string | undefined): void {
  if (value !== undefined && value !== '') record[key] = value;
}

/** Files from the compressed BASENAMES/DIRNAMES/DIRINDEXES triple, or the pre-4.0 OLDFILENAMES. */
function readFiles(header: RpmHeader): string[] {
  const basenames = header.stringArray(Tag.BASENAMES);
  if (!basenames) return header.stringArray(Tag.OLDFILENAMES) ?? [];
  const dirnames = header.stringArray(Tag.DIRNAMES) ?? [];
  const dirindexes = header.numbers(Tag.DIRINDEXES) ?? [];
  if (dirindexes.length !== basenames.length) {
    header.fail(`${basenames.length} BASENAMES but ${dirindexes.length} DIRINDEXES`);
  }
  return basenames.map((base, i) => {
    const dir = dirnames[dirindexes[i] ?? -1];
    if (dir === undefined) header.fail(`DIRINDEXES[${i}] = ${dirindexes[i]} but there are ${dirnames.length} DIRNAMES`);
    return dir + base;
  });
}

/** `bash-5.1.8-6.el9.src.rpm` -> { name: 'bash', version: '5.1.8-6.el9' }. */
export function parseSourceRpm(sourceRpm: string): { name: string; version: string } | undefined {
  const stem = sourceRpm.replace(/\.rpm$/, '').replace(/\.(?:no)?src$/, '');
  const releaseDash = stem.lastIndexOf('-');
  const versionDash = releaseDash > 0 ? stem.lastIndexOf('-', releaseDash - 1) : -1;
  if (versionDash <= 0) return undefined;
  return { name: stem.slice(0, versionDash), version: stem.slice(versionDash + 1) };
}
