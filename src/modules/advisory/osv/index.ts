/** OSV (https://osv.dev): the advisory source behind the vulnerability database. */
export const id = 'osv';
export const displayName = 'Open Source Vulnerabilities (OSV)';
export const urls = ['https://ossf.github.io/osv-schema/', 'https://google.github.io/osv.dev/data/#data-dumps'];

/** OSV's public bucket; `${base}/${ecosystem}/all.zip` holds every record of one ecosystem. */
export const DEFAULT_OSV_BASE_URL = 'https://osv-vulnerabilities.storage.googleapis.com';

export { parseOsvJson, parseOsvRecord } from './parse.js';
