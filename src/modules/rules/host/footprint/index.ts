/** Bulwark's host footprint and access checks (F.1–F.8), after the guide's host section. */
import type { HostCheck } from '../../../../host/types.js';
import { FOOTPRINT_CHECKS } from './checks.js';

export const CHECKS: readonly HostCheck[] = FOOTPRINT_CHECKS;

export { UNNEEDED_PACKAGES } from './checks.js';
export { groupMembers, parseGroup, parsePasswd, parseShadow } from './accounts.js';
export { hostPackages, readHostPackages, HOST_PACKAGE_DETECTORS, type HostPackages } from './packages.js';
export { decodeAddress, describeSocket, listeningSockets, parseNetTable, parseUnixTable, type ListeningSocket } from './sockets.js';
export { readSshdConfig } from './sshd.js';
export { passwordlessSudo } from './sudoers.js';
