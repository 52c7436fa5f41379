export type { EolData, EolRelease, EolState, EolStatus, EolTable } from './types.js';
export { DEFAULT_NEAR_DAYS, eolStatus, findRelease, type EolStatusOptions, type OsRef } from './status.js';
export { EOL_DATA_ENV, SHIPPED_EOL_DIR, loadEolData, loadEolDir, parseEolFile } from './load.js';
export { diffTables } from './diff.js';
