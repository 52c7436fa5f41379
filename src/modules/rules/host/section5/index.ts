import type { HostCheck } from '../../../../host/types.js';
import { check5_6, check5_20, check5_32 } from './mounts.js';
import { check5_10, check5_16, check5_17, check5_21, check5_31 } from './namespaces.js';
import { check5_8, check5_9, check5_14 } from './ports.js';
import { check5_4, check5_5, check5_26 } from './privileges.js';
import { check5_11, check5_12, check5_19, check5_25, check5_29 } from './resources.js';
import { check5_1, check5_13, check5_15, check5_18, check5_23, check5_24, check5_27, check5_28, check5_30 } from './runtime.js';
import { check5_2, check5_3, check5_22 } from './security-profiles.js';
import { check5_7 } from './sshd.js';

/** CIS Docker Benchmark v1.6 section 5, Container Runtime: one inspect per running container feeds them all. */
export const CHECKS: readonly HostCheck[] = [
  check5_1, check5_2, check5_3, check5_4, check5_5, check5_6, check5_7, check5_8, check5_9, check5_10,
  check5_11, check5_12, check5_13, check5_14, check5_15, check5_16, check5_17, check5_18, check5_19, check5_20,
  check5_21, check5_22, check5_23, check5_24, check5_25, check5_26, check5_27, check5_28, check5_29, check5_30,
  check5_31, check5_32,
];
