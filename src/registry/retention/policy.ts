/**
 * Retention policies for `bulwark registry prune`, in the Amazon ECR lifecycle-policy JSON format, validated the way
 * ECR validates them (ECR user guide: "Lifecycle policy properties" and "Lifecycle policy evaluation rules"):
 *
 *   { "rules": [ { "rulePriority": 1, "description": "...",
 *                  "selection": { "tagStatus": "tagged" | "untagged" | "any",
 *                                 "tagPatternList": ["prod*"] | "tagPrefixList": ["prod"],
 *                                 "countType": "imageCountMoreThan" | "sinceImagePushed",
 *                                 "countUnit": "days", "countNumber": 14 },
 *                  "action": { "type": "expire" } } ],
 *     "bulwarkProtectedTags": ["release-*", "latest"] }
 *
 * Checks: unique positive integer rulePriority; tagPatternList / tagPrefixList only with `tagged`, one of them required
 * with `tagged`, never both; at most four `*` per pattern; countUnit (`days`) required with sinceImagePushed and
 * forbidden with imageCountMoreThan; countNumber a positive integer (0 is not accepted); a rule with tagStatus `any`
 * must have the highest rulePriority; only one rule may select untagged images; no two rules with the same tag
 * prefix (or pattern) set; action type `expire`; unknown fields are rejected at every level.
 *
 * Not supported (rejected as unknown values/fields): the newer ECR archive features (`storageClass`,
 * countType `sinceImagePulled` / `sinceImageTransitioned`, action `transition`).
 *
 * Every problem is reported as one line: `<file>: rule <priority>: <field>: <what is wrong>`.
 */
import { open } from 'node:fs/promises';
import { z } from 'zod';
import { BulwarkError } from '../../core/errors.js';
import { MAX_WILDCARDS, countWildcards } from './match.js';

export type TagStatus = 'tagged' | 'untagged' | 'any';
export type CountType = 'imageCountMoreThan' | 'sinceImagePushed';

export interface LifecycleSelection {
  tagStatus: TagStatus;
  tagPatternList?: string[];
  tagPrefixList?: string[];
  countType: CountType;
  countUnit?: 'days';
  countNumber: number;
}

export interface LifecycleRule {
  rulePriority: number;
  description?: string;
  selection: LifecycleSelection;
  action: { type: 'expire' };
}

export interface RetentionPolicy {
  /** As written in the file (not re-ordered); evaluation sorts by rulePriority. */
  rules: LifecycleRule[];
  /**
   * Bulwark extension, not part of the ECR format: top-level `"bulwarkProtectedTags": ["release-*", "latest"]`.
   * Patterns in tagPatternList syntax (`*` wildcard, case-sensitive, whole tag). An image carrying any tag that matches
   * one of them is never expired by any rule. Empty when the file has none.
   */
  bulwarkProtectedTags: string[];
}

/** Largest policy file read (1 MiB). ECR itself caps lifecycle policy text far lower. */
export const MAX_POLICY_BYTES = 1024 * 1024;

/** One or more problems in a policy; `message` is the problems joined by newlines, one per line. */
export class RetentionPolicyError extends BulwarkError {
  readonly problems: readonly string[];
  constructor(problems: string[], code: 'E_INPUT' | 'E_LIMIT' | 'E_NOT_FOUND' = 'E_INPUT') {
    super(code, problems.join('\n'));
    this.name = 'RetentionPolicyError';
    this.problems = problems;
  }
}

const POS_INT = 'must be a positive integer';

const positiveInt = z
  .number({ required_error: 'required', invalid_type_error: POS_INT })
  .int(POS_INT)
  .positive(`${POS_INT} (0 is not accepted)`)
  .max(Number.MAX_SAFE_INTEGER, POS_INT);

const tagString = z
  .string({ required_error: 'required', invalid_type_error: 'must be a string' })
  .min(1, 'must not be empty')
  .max(256, 'is longer than 256 characters');

const tagList = z
  .array(tagString, { invalid_type_error: 'must be a list of strings' })
  .min(1, 'must list at least one tag')
  .max(100, 'lists more than 100 entries');

const selectionSchema = z
  .object(
    {
      tagStatus: z.enum(['tagged', 'untagged', 'any'], { required_error: 'required' }),
      tagPatternList: tagList.optional(),
      tagPrefixList: tagList.optional(),
      countType: z.enum(['imageCountMoreThan', 'sinceImagePushed'], { required_error: 'required' }),
      countUnit: z.enum(['days']).optional(),
      countNumber: positiveInt,
    },
    { required_error: 'required', invalid_type_error: 'must be an object' },
  )
  .strict();

const ruleSchema = z
  .object(
    {
      rulePriority: positiveInt,
      description: z.string({ invalid_type_error: 'must be a string' }).max(1024, 'is longer than 1024 characters').optional(),
      selection: selectionSchema,
      action: z
        .object({ type: z.enum(['expire'], { required_error: 'required' }) }, {
          required_error: 'required',
          invalid_type_error: 'must be an object',
        })
        .strict(),
    },
    { invalid_type_error: 'must be an object' },
  )
  .strict();

const topSchema = z
  .object({
    rules: z
      .array(z.unknown(), { required_error: 'required', invalid_type_error: 'must be a list of rules' })
      .min(1, 'must contain at least one rule'),
    bulwarkProtectedTags: z.array(tagString, { invalid_type_error: 'must be a list of strings' }).optional(),
  })
  .strict();

function fieldPath(path: readonly (string | number)[]): string {
  let out = '';
  for (const p of path) out += typeof p === 'number' ? `[${p}]` : out ? `.${p}` : p;
  return out;
}

function describeValue(v: unknown): string {
  if (typeof v === 'string') return JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v);
  return String(v);
}

/** One zod issue → one or more "field: message" fragments. */
function issueLines(issue: z.ZodIssue): string[] {
  const at = fieldPath(issue.path);
  const prefix = at ? `${at}: ` : '';
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => `${fieldPath([...issue.path, k])}: unknown field`);
    case 'invalid_enum_value':
      return [`${prefix}must be ${issue.options.map((o) => JSON.stringify(o)).join(' or ')}, not ${describeValue(issue.received)}`];
    case 'invalid_type':
      if (issue.received === 'undefined') return [`${prefix}required`];
      return [`${prefix}${issue.message.startsWith('Expected') ? `must be ${issue.expected}` : issue.message}`];
    default:
      return [`${prefix}${issue.message}`];
  }
}

function jsonErrorDetail(text: string, message: string): string {
  const m = /position (\d+)/.exec(message);
  if (!m || /line \d+/.test(message)) return message;
  const pos = Number(m[1]);
  const before = text.slice(0, pos);
  const line = before.split('\n').length;
  const column = pos - before.lastIndexOf('\n');
  return `${message} (line ${line} column ${column})`;
}

/** Parse and validate policy text. `source` names the file in every problem line. */
export function parseRetentionPolicy(text: string, source: string): RetentionPolicy {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > MAX_POLICY_BYTES) {
    throw new RetentionPolicyError([`${source}: policy is ${bytes} bytes; the limit is ${MAX_POLICY_BYTES} bytes (1 MiB)`], 'E_LIMIT');
  }
  let value: unknown;
  try {
    value = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
  } catch (e) {
    const msg = (e instanceof Error ? e.message : String(e)).replace(/\s+/g, ' ');
    throw new RetentionPolicyError([`${source}: not valid JSON: ${jsonErrorDetail(text, msg)}`]);
  }
  return validateRetentionPolicy(value, source);
}

/** Validate an already-parsed JSON value. Throws RetentionPolicyError listing every problem found. */
export function validateRetentionPolicy(value: unknown, source: string): RetentionPolicy {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new RetentionPolicyError([`${source}: the policy must be a JSON object with a "rules" list`]);
  }
  const problems: string[] = [];
  const top = topSchema.safeParse(value);
  if (!top.success) {
    for (const issue of top.error.issues) for (const line of issueLines(issue)) problems.push(`${source}: ${line}`);
    throw new RetentionPolicyError(problems);
  }

  const rawRules = top.data.rules;
  const label = (i: number): string => {
    const raw = rawRules[i];
    const p = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>).rulePriority : undefined;
    return typeof p === 'number' && Number.isSafeInteger(p) && p > 0 ? `rule ${p}` : `rules[${i}]`;
  };

  const rules: LifecycleRule[] = [];
  rawRules.forEach((raw, i) => {
    const where = `${source}: ${label(i)}`;
    const parsed = ruleSchema.safeParse(raw);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) for (const line of issueLines(issue)) problems.push(`${where}: ${line}`);
      return;
    }
    const rule = parsed.data as LifecycleRule;
    const before = problems.length;
    checkSelection(rule.selection, (field, msg) => problems.push(`${where}: selection.${field}: ${msg}`));
    if (problems.length === before) rules.push(rule);
  });

  // Policy-wide checks, over the rules that are individually valid.
  const seenPriority = new Set<number>();
  for (const r of rules) {
    if (seenPriority.has(r.rulePriority)) {
      problems.push(`${source}: rule ${r.rulePriority}: rulePriority: ${r.rulePriority} is used by more than one rule; priorities must be unique`);
    }
    seenPriority.add(r.rulePriority);
  }
  if (rules.length > 0) {
    const highest = Math.max(...rules.map((r) => r.rulePriority));
    for (const r of rules) {
      if (r.selection.tagStatus === 'any' && r.rulePriority !== highest) {
        problems.push(
          `${source}: rule ${r.rulePriority}: selection.tagStatus: a rule with tagStatus "any" must have the highest rulePriority (${highest} is higher)`,
        );
      }
    }
  }
  const untagged = rules.filter((r) => r.selection.tagStatus === 'untagged');
  for (const r of untagged.slice(1)) {
    problems.push(
      `${source}: rule ${r.rulePriority}: selection.tagStatus: only one rule may select untagged images (rule ${untagged[0]!.rulePriority} already does)`,
    );
  }
  const tagSets = new Map<string, number>();
  for (const r of rules) {
    const s = r.selection;
    const field = s.tagPrefixList ? 'tagPrefixList' : s.tagPatternList ? 'tagPatternList' : undefined;
    if (!field) continue;
    const key = `${field}\0${[...new Set(s[field])].sort().join('\0')}`;
    const other = tagSets.get(key);
    if (other !== undefined) {
      problems.push(`${source}: rule ${r.rulePriority}: selection.${field}: same tag set as rule ${other}; each rule needs its own set`);
    } else {
      tagSets.set(key, r.rulePriority);
    }
  }

  const protectedTags = top.data.bulwarkProtectedTags ?? [];
  protectedTags.forEach((p, i) => {
    const n = countWildcards(p);
    if (n > MAX_WILDCARDS) {
      problems.push(`${source}: bulwarkProtectedTags[${i}]: ${JSON.stringify(p)} has ${n} wildcards; at most ${MAX_WILDCARDS} are allowed`);
    }
  });

  if (problems.length > 0) throw new RetentionPolicyError(problems);
  return { rules, bulwarkProtectedTags: [...protectedTags] };
}

function checkSelection(s: LifecycleSelection, report: (field: string, msg: string) => void): void {
  const hasPattern = s.tagPatternList !== undefined;
  const hasPrefix = s.tagPrefixList !== undefined;
  if (s.tagStatus === 'tagged') {
    if (!hasPattern && !hasPrefix) report('tagPatternList', 'required with tagStatus "tagged" (or tagPrefixList)');
    if (hasPattern && hasPrefix) report('tagPrefixList', 'not allowed together with tagPatternList; use one of them');
  } else {
    if (hasPattern) report('tagPatternList', `only allowed with tagStatus "tagged", not "${s.tagStatus}"`);
    if (hasPrefix) report('tagPrefixList', `only allowed with tagStatus "tagged", not "${s.tagStatus}"`);
  }
  s.tagPatternList?.forEach((p, i) => {
    const n = countWildcards(p);
    if (n > MAX_WILDCARDS) report(`tagPatternList[${i}]`, `${JSON.stringify(p)} has ${n} wildcards; at most ${MAX_WILDCARDS} are allowed`);
  });
  if (s.countType === 'sinceImagePushed' && s.countUnit === undefined) report('countUnit', 'required with sinceImagePushed');
  if (s.countType === 'imageCountMoreThan' && s.countUnit !== undefined) report('countUnit', 'not allowed with imageCountMoreThan');
}

/**
 * Read and validate a policy file. Files over 1 MiB are refused without being read whole. `label` (default: the path
 * as given) names the file in problem lines.
 */
export async function loadRetentionPolicy(path: string, label: string = path): Promise<RetentionPolicy> {
  let fh;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new RetentionPolicyError(
      [`${label}: cannot read policy file: ${code === 'ENOENT' ? 'no such file' : code ?? String(e)}`],
      code === 'ENOENT' ? 'E_NOT_FOUND' : 'E_INPUT',
    );
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) throw new RetentionPolicyError([`${label}: cannot read policy file: not a regular file`]);
    const tooBig = (n: number): RetentionPolicyError =>
      new RetentionPolicyError([`${label}: policy file is ${n} bytes; the limit is ${MAX_POLICY_BYTES} bytes (1 MiB)`], 'E_LIMIT');
    if (st.size > MAX_POLICY_BYTES) throw tooBig(st.size);
    const buf = Buffer.alloc(MAX_POLICY_BYTES + 1);
    let got = 0;
    for (;;) {
      const { bytesRead } = await fh.read(buf, got, buf.length - got, got);
      if (bytesRead === 0) break;
      got += bytesRead;
      if (got > MAX_POLICY_BYTES) throw tooBig(got);
    }
    let text: string;
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, got));
    } catch {
      throw new RetentionPolicyError([`${label}: not valid UTF-8`]);
    }
    return parseRetentionPolicy(text, label);
  } finally {
    await fh.close();
  }
}
