import { readFileSync } from 'node:fs';
import { SPDX } from '@cyclonedx/cyclonedx-library';
import { Ajv } from 'ajv';
import { Ajv2019 } from 'ajv/dist/2019.js';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';

const root = new URL('../../', import.meta.url);

export function readJson(path: string): unknown {
  return JSON.parse(readFileSync(new URL(path, root), 'utf8'));
}

export type Validate = (data: unknown) => ErrorObject[];

function wrap(fn: ((data: unknown) => boolean) & { errors?: ErrorObject[] | null }): Validate {
  return (data) => (fn(data) ? [] : [...(fn.errors ?? [])]);
}

/** Bulwark's own report schema: strict mode, so a typo in a schema keyword fails here too. */
export function reportValidator(): Validate {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv);
  return wrap(ajv.compile(readJson('schemas/bulwark-image-report-v1.schema.json') as object));
}

/** The official SPDX 2.3 schema (draft 2019-09); not strict, it is third-party text stored verbatim. */
export function spdxValidator(): Validate {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  return wrap(ajv.compile(readJson('test/schemas/spdx-2.3.schema.json') as object));
}

/**
 * The official SARIF 2.1.0 schema as @microsoft/jest-sarif ships it. It is draft-04, which Ajv 8 no
 * longer implements; its only draft-04 feature is the root `id`, so it is compiled as draft-07 with
 * `$id` in its place. Not strict (third-party text), and without the `u` flag because one of its
 * patterns (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not a valid Unicode-mode regular expression.
 */
export function sarifValidator(): Validate {
  const { $schema: _draft04, id, ...schema } = readJson('node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json') as Record<string, unknown>;
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats.default(ajv);
  return wrap(ajv.compile({ $id: id as string, ...schema }));
}

const EXCEPTIONS = new Set(['GCC-exception-3.1', 'Classpath-exception-2.0', 'LLVM-exception', 'Linux-syscall-note']);

/**
 * An SPDX license expression check written independently of src/report/licenses.ts: every id on the
 * SPDX License List (as shipped by the CycloneDX library) or a LicenseRef, operators between operands,
 * balanced parentheses. Returns the problems found.
 */
export function spdxExpressionProblems(expression: string): string[] {
  const tokens = expression.replace(/[()]/g, ' $& ').trim().split(/\s+/);
  const problems: string[] = [];
  let depth = 0;
  let expectOperand = true;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '(') {
      if (!expectOperand) problems.push(`unexpected ( at ${i}`);
      depth++;
    } else if (t === ')') {
      if (expectOperand || --depth < 0) problems.push(`unexpected ) at ${i}`);
    } else if (t === 'AND' || t === 'OR') {
      if (expectOperand) problems.push(`unexpected ${t} at ${i}`);
      expectOperand = true;
    } else if (t === 'WITH') {
      const exception = tokens[++i] ?? '';
      if (expectOperand || !EXCEPTIONS.has(exception)) problems.push(`bad WITH ${exception}`);
    } else {
      if (!expectOperand) problems.push(`missing operator before ${t}`);
      const id = t.endsWith('+') ? t.slice(0, -1) : t;
      if (!SPDX.isSupportedSpdxId(id) && !/^LicenseRef-[A-Za-z0-9.-]+$/.test(t)) problems.push(`unknown licence id ${t}`);
      expectOperand = false;
    }
  }
  if (expectOperand || depth !== 0) problems.push('incomplete expression');
  return problems;
}

/** A deep copy through JSON, for tests that break a document on purpose. */
export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}
