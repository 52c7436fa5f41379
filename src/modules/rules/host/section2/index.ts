/** CIS Docker Benchmark v1.6 section 2: Docker daemon configuration. */
import type { HostCheck } from '../../../../host/types.js';
import { check2_6, check2_13, check2_15, check2_17, check2_18 } from './engine-checks.js';
import {
  check2_1,
  check2_2,
  check2_3,
  check2_4,
  check2_5,
  check2_8,
  check2_9,
  check2_10,
  check2_11,
  check2_12,
  check2_14,
  check2_16,
} from './settings.js';
import { check2_7 } from './tls.js';

export const CHECKS: readonly HostCheck[] = [
  check2_1,
  check2_2,
  check2_3,
  check2_4,
  check2_5,
  check2_6,
  check2_7,
  check2_8,
  check2_9,
  check2_10,
  check2_11,
  check2_12,
  check2_13,
  check2_14,
  check2_15,
  check2_16,
  check2_17,
  check2_18,
];
