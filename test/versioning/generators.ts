/**
 * Version generators for the differential tests. Each produces mostly valid versions of its scheme with
 * the hard parts over-represented (epochs, tildes, carets, letters, mixed alphanumerics, leading zeros,
 * pre/post/dev/local releases, odd spellings) and a few invalid ones, and pairs each version with a
 * small mutation of itself most of the time, so comparisons are decided deep inside the strings.
 */
import type { Rng } from './prng.js';

export type Pair = [string, string];

/** Pairs of (version, neighbour): mostly mutations of the same version, some unrelated, some identical. */
export function generatePairs(rng: Rng, count: number, generate: () => string, mutate: (v: string) => string): Pair[] {
  const out: Pair[] = [];
  for (let i = 0; i < count; i++) {
    const a = generate();
    const kind = rng.weighted([
      [50, 'mutate'],
      [20, 'mutate2'],
      [20, 'fresh'],
      [4, 'same'],
    ] as const);
    const b = kind === 'mutate' ? mutate(a) : kind === 'mutate2' ? mutate(mutate(a)) : kind === 'fresh' ? generate() : a;
    out.push(rng.chance(0.5) ? [a, b] : [b, a]);
  }
  return out;
}

// --- string mutations shared by the schemes ----------------------------------------------------------

/** Changes one digit run: +1, -1, to 0, a leading zero added or removed, or made huge. */
function bumpNumber(rng: Rng, v: string): string {
  const runs = [...v.matchAll(/[0-9]+/g)];
  if (runs.length === 0) return v;
  const run = rng.pick(runs);
  const digits = run[0];
  const start = run.index!;
  const value = BigInt(digits);
  const replacement = rng.weighted([
    [30, () => String(value + 1n)],
    [20, () => (value > 0n ? String(value - 1n) : '1')],
    [10, () => '0'],
    [12, () => `0${digits}`],
    [8, () => digits.replace(/^0+(?=.)/, '')],
    [4, () => '99999999999999999999'],
    [4, () => '9007199254740993'],
  ] as const)();
  return v.slice(0, start) + replacement + v.slice(start + digits.length);
}

function insertSnippet(rng: Rng, v: string, snippets: readonly string[]): string {
  const at = rng.int(0, v.length);
  return v.slice(0, at) + rng.pick(snippets) + v.slice(at);
}

function appendSnippet(rng: Rng, v: string, snippets: readonly string[]): string {
  return v + rng.pick(snippets);
}

function deleteChar(rng: Rng, v: string): string {
  if (v.length <= 1) return v;
  const at = rng.int(0, v.length - 1);
  return v.slice(0, at) + v.slice(at + 1);
}

function replaceChar(rng: Rng, v: string, alphabet: string): string {
  if (v.length === 0) return v;
  const at = rng.int(0, v.length - 1);
  return v.slice(0, at) + rng.pick([...alphabet]) + v.slice(at + 1);
}

function toggleCase(rng: Rng, v: string): string {
  const letters = [...v.matchAll(/[A-Za-z]/g)];
  if (letters.length === 0) return v;
  const at = rng.pick(letters).index!;
  const c = v[at]!;
  return v.slice(0, at) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + v.slice(at + 1);
}

function truncate(rng: Rng, v: string): string {
  return v.length <= 1 ? v : v.slice(0, rng.int(1, v.length - 1));
}

function digitRun(rng: Rng): string {
  return rng.weighted([
    [30, () => String(rng.int(0, 3))],
    [20, () => String(rng.int(0, 9))],
    [10, () => String(rng.int(10, 12))],
    [8, () => `0${rng.int(0, 9)}`],
    [3, () => '00'],
    [3, () => String(rng.int(2000, 2030)) + String(rng.int(1, 12)).padStart(2, '0')],
    [2, () => '12345678901234567890'],
    [1, () => '18446744073709551616'],
  ] as const)();
}

// --- dpkg ----------------------------------------------------------------------------------------------

const DPKG_WORDS = ['a', 'b', 'z', 'A', 'Z', 'rc', 'alpha', 'beta', 'dfsg', 'ubuntu', 'deb', 'git', 'bpo', 'really', 'build'];

function dpkgPart(rng: Rng, allowHyphen: boolean, allowColon: boolean): string {
  let s = '';
  const n = rng.int(0, 5);
  for (let i = 0; i < n; i++) {
    s += rng.weighted([
      [30, () => `.${digitRun(rng)}`],
      [12, () => `~${rng.pick(DPKG_WORDS)}${rng.chance(0.6) ? digitRun(rng) : ''}`],
      [5, () => '~'],
      [10, () => `+${rng.pick(DPKG_WORDS)}${rng.chance(0.7) ? digitRun(rng) : ''}`],
      [12, () => rng.pick(DPKG_WORDS)],
      [10, () => digitRun(rng)],
      [allowHyphen ? 4 : 0, () => `-${digitRun(rng)}`],
      [allowColon ? 3 : 0, () => `:${digitRun(rng)}`],
      [3, () => '.'],
      [2, () => '+'],
    ] as const)();
  }
  return s;
}

export function dpkgVersion(rng: Rng): string {
  const special = rng.weighted([
    [95, undefined],
    [1, () => ` ${dpkgVersion(rng)}\t`],
    [
      4,
      () =>
        rng.pick([
          '',
          '-1',
          '1.0-',
          'a1.0',
          '1.0_1',
          '1.0 1',
          '1:',
          ':1.0',
          '1.0@2',
          '1.0-1_2',
          'é1',
          '1.0-ü',
          '-1:1.0',
          '+1:1.0',
          '-0:1.0',
          'x:1.0',
          '2147483648:1',
          '2147483647:1',
          '99999999999999999999:1',
          '~1',
          '1:~',
          '1.0-~',
          '1.0--1',
          '1.0-a:b',
        ]),
    ],
  ] as const);
  if (special) return special();
  const hasEpoch = rng.chance(0.25);
  const epoch = hasEpoch ? `${rng.pick(['0', '1', '2', '10', '01', '00', '3'])}:` : '';
  const hasRevision = rng.chance(0.6);
  const upstream = digitRun(rng) + dpkgPart(rng, hasRevision, hasEpoch);
  const revision = hasRevision
    ? `-${rng.weighted([
        [60, () => digitRun(rng)],
        [20, () => rng.pick(DPKG_WORDS)],
        [10, () => '~'],
        [10, () => ''],
      ] as const)()}${dpkgPart(rng, false, false)}`
    : '';
  return epoch + upstream + (revision === '-' ? '-0' : revision);
}

export function mutateDpkg(rng: Rng, v: string): string {
  return rng.weighted([
    [30, () => bumpNumber(rng, v)],
    [15, () => insertSnippet(rng, v, ['~', '~~', '~a', '+', '.', '0', '1', 'a', 'A', '.0', '+b1', '~rc1', 'z'])],
    [12, () => appendSnippet(rng, v, ['~', '~1', '+1', '.0', '0', 'a', '-1', '-0', '+deb12u1', '~bpo1', '.1'])],
    [8, () => replaceChar(rng, v, '0123456789abzAZ.+~-:')],
    [8, () => deleteChar(rng, v)],
    [8, () => toggleCase(rng, v)],
    [6, () => truncate(rng, v)],
    [5, () => (v.includes(':') ? v.slice(v.indexOf(':') + 1) : `${rng.pick(['0', '1'])}:${v}`)],
    [4, () => ` ${v}`],
  ] as const)();
}

// --- rpm -----------------------------------------------------------------------------------------------

const RPM_WORDS = ['a', 'b', 'z', 'A', 'Z', 'rc', 'alpha', 'beta', 'el', 'fc', 'git', 'pre', 'post', 'snap', 'mga', 'oe'];
const RPM_SEPARATORS = ['.', '.', '.', '_', '+', '..', '._', '+.'];

function rpmPart(rng: Rng): string {
  let s = '';
  const n = rng.int(0, 6);
  for (let i = 0; i < n; i++) {
    s += rng.weighted([
      [30, () => rng.pick(RPM_SEPARATORS) + digitRun(rng)],
      [12, () => `~${rng.pick(RPM_WORDS)}${rng.chance(0.6) ? digitRun(rng) : ''}`],
      [10, () => `^${rng.pick(RPM_WORDS)}${rng.chance(0.6) ? digitRun(rng) : ''}`],
      [4, () => rng.pick(['~', '^', '~~', '^^', '~^', '^~'])],
      [12, () => rng.pick(RPM_WORDS)],
      [10, () => digitRun(rng)],
      [6, () => rng.pick(RPM_SEPARATORS) + rng.pick(RPM_WORDS)],
      [3, () => rng.pick(RPM_SEPARATORS)],
    ] as const)();
  }
  return s;
}

export function rpmVersion(rng: Rng): string {
  if (rng.chance(0.02)) return rng.pick(['', '-1', '1.0-', ':1.0', '1:', 'a:1.0', '1.0-1-2', '1.0%{dist}', '1.0 1', '1:2:3', 'é']);
  const epoch = rng.chance(0.25) ? `${rng.pick(['0', '1', '2', '10', '01', '00'])}:` : '';
  const start = rng.chance(0.9) ? digitRun(rng) : rng.pick(RPM_WORDS);
  const version = start + rpmPart(rng);
  const release = rng.chance(0.7) ? `-${rng.chance(0.85) ? digitRun(rng) : rng.pick(RPM_WORDS)}${rpmPart(rng)}` : '';
  return epoch + version + release;
}

export function mutateRpm(rng: Rng, v: string): string {
  return rng.weighted([
    [30, () => bumpNumber(rng, v)],
    [15, () => insertSnippet(rng, v, ['~', '^', '~~', '^a', '~a', '.', '_', '+', '0', '1', 'a', 'A', '.0', '^1', '~rc1', 'z'])],
    [12, () => appendSnippet(rng, v, ['~', '^', '~1', '^1', '.0', '0', 'a', '.a', '_1', '+git1', '-1', '.1'])],
    [8, () => replaceChar(rng, v, '0123456789abzAZ._+~^')],
    [8, () => deleteChar(rng, v)],
    [8, () => toggleCase(rng, v)],
    [6, () => truncate(rng, v)],
    [5, () => (v.includes(':') ? v.slice(v.indexOf(':') + 1) : `${rng.pick(['0', '1'])}:${v}`)],
    [5, () => (v.includes('-') ? v.slice(0, v.lastIndexOf('-')) : `${v}-${digitRun(rng)}`)],
  ] as const)();
}

// --- SemVer (npm) --------------------------------------------------------------------------------------

function semverNumber(rng: Rng): string {
  return rng.weighted([
    [40, () => String(rng.int(0, 3))],
    [20, () => String(rng.int(0, 20))],
    [0.5, () => `0${rng.int(0, 9)}`],
    [0.3, () => '9007199254740991'],
    [0.3, () => '9007199254740992'],
  ] as const)();
}

function semverIdentifier(rng: Rng, build: boolean): string {
  return rng.weighted([
    [30, () => String(rng.int(0, 12))],
    [25, () => rng.pick(['alpha', 'beta', 'rc', 'pre', 'Alpha', 'RC', 'a', 'b', 'x'])],
    [10, () => rng.pick(['a1', '1a', 'rc1', 'beta2', '0a', 'x-y', '-', '--', 'alpha-1', 'A-Z'])],
    [build ? 5 : 0.7, () => `0${rng.int(0, 9)}`],
    [1, () => '9007199254740993'],
    [build ? 2 : 0.3, () => rng.pick(['', '001', 'sha.5114f85', 'é'])],
  ] as const)();
}

export function semverVersion(rng: Rng): string {
  if (rng.chance(0.02)) return rng.pick(['', '1', '1.2', '1.2.3.4', '1.2.3-', '1.2.3+', 'a.b.c', '1.2.3-a..b', '1.2.3 4', '^1.2.3', '1.2.x']);
  const prefix = rng.weighted([
    [94, ''],
    [3, 'v'],
    [1, '='],
    [1, ' '],
    [1, 'V'],
  ] as const);
  let v = `${prefix}${semverNumber(rng)}.${semverNumber(rng)}.${semverNumber(rng)}`;
  if (rng.chance(0.5)) {
    const n = rng.int(1, 3);
    v += `-${Array.from({ length: n }, () => semverIdentifier(rng, false)).join('.')}`;
  }
  if (rng.chance(0.2)) {
    const n = rng.int(1, 2);
    v += `+${Array.from({ length: n }, () => semverIdentifier(rng, true)).join('.')}`;
  }
  return rng.chance(0.01) ? `${v} ` : v;
}

export function mutateSemver(rng: Rng, v: string): string {
  return rng.weighted([
    [35, () => bumpNumber(rng, v)],
    [15, () => appendSnippet(rng, v, v.includes('-') || v.includes('+') ? ['.1', '.0', '.a', '-1', '.beta', '-0', '.alpha'] : ['-1', '-alpha', '+build', '-0', '.1'])],
    [10, () => (v.includes('+') ? v.slice(0, v.indexOf('+')) : `${v}+meta.1`)],
    [10, () => (v.includes('-') ? v.slice(0, v.indexOf('-')) : `${v}-rc.1`)],
    [10, () => toggleCase(rng, v)],
    [4, () => replaceChar(rng, v, '0123456789abzAZ.-+')],
    [3, () => deleteChar(rng, v)],
    [3, () => truncate(rng, v)],
  ] as const)();
}

// --- PEP 440 -------------------------------------------------------------------------------------------

const PEP_SEP = ['', '', '.', '-', '_'];

function pepNumber(rng: Rng): string {
  return rng.weighted([
    [40, () => String(rng.int(0, 3))],
    [20, () => String(rng.int(0, 12))],
    [6, () => `0${rng.int(0, 9)}`],
    [3, () => '00'],
    [2, () => '99999999999999999999'],
    [2, () => '99999999999999999998'],
  ] as const)();
}

function pepLocal(rng: Rng): string {
  const n = rng.int(1, 3);
  const parts = Array.from({ length: n }, () =>
    rng.weighted([
      [40, () => String(rng.int(0, 12))],
      [30, () => rng.pick(['abc', 'ubuntu', 'cpu', 'cu118', 'ABC', 'deb', 'a', 'z', 'g1234', '1a'])],
      [5, () => '01'],
    ] as const)(),
  );
  return parts.map((p, i) => (i === 0 ? p : rng.pick(['.', '-', '_']) + p)).join('');
}

export function pep440Version(rng: Rng): string {
  if (rng.chance(0.03)) {
    return rng.pick([
      '',
      'a1',
      '1.0.a',
      '1.0+',
      '1.0++1',
      '1.0-',
      '1.0.post-dev',
      '1..0',
      '1.0_',
      '!1.0',
      '1!',
      '1.0+a..b',
      'v',
      '1.0 .1',
      '1.0-r1-r1',
      '1.0.dev1.dev2',
      '1.0a1b1',
      '1.0+abc_',
      '1.0\u00a0',
    ]);
  }
  let v = rng.weighted([
    [90, ''],
    [6, 'v'],
    [4, 'V'],
  ] as const);
  if (rng.chance(0.15)) v += `${rng.pick(['0', '1', '2', '00', '10', '99999999999999999999'])}!`;
  const releaseLength = rng.weighted([
    [10, 1],
    [30, 2],
    [40, 3],
    [15, 4],
    [5, 5],
  ] as const);
  v += Array.from({ length: releaseLength }, () => pepNumber(rng)).join('.');
  if (rng.chance(0.35)) {
    const letter = rng.pick(['a', 'alpha', 'b', 'beta', 'c', 'rc', 'pre', 'preview', 'A', 'RC', 'Beta', 'PREVIEW']);
    v += rng.pick(PEP_SEP) + letter + (rng.chance(0.8) ? rng.pick(PEP_SEP) + pepNumber(rng) : '');
  }
  if (rng.chance(0.3)) {
    v += rng.chance(0.25)
      ? `-${pepNumber(rng)}`
      : rng.pick(PEP_SEP) + rng.pick(['post', 'rev', 'r', 'POST', 'Rev']) + (rng.chance(0.8) ? rng.pick(PEP_SEP) + pepNumber(rng) : '');
  }
  if (rng.chance(0.3)) v += rng.pick(PEP_SEP) + rng.pick(['dev', 'DEV', 'Dev']) + (rng.chance(0.8) ? rng.pick(PEP_SEP) + pepNumber(rng) : '');
  if (rng.chance(0.2)) v += `+${pepLocal(rng)}`;
  if (rng.chance(0.02)) v = rng.pick([' ', '\t', '\n', '\x0b', '\x1c']) + v + rng.pick(['', ' ', '\n', '\r\n', '\x1f']);
  return v;
}

export function mutatePep440(rng: Rng, v: string): string {
  return rng.weighted([
    [30, () => bumpNumber(rng, v)],
    [12, () => appendSnippet(rng, v, ['.0', '.1', 'a1', '.post1', '.dev0', '-1', '+local', '+1', '.0.0', 'rc', 'post', 'dev', '+abc.2'])],
    [10, () => v.replace(/(alpha|beta|preview|pre|rc|c|a|b)(?=[-_.]?[0-9]|$)/i, (m) => rng.pick(['a', 'alpha', 'b', 'beta', 'c', 'rc', 'pre', 'preview', m]))],
    [8, () => v.replace(/[-_.]/, () => rng.pick(['-', '_', '.', '']))],
    [8, () => (v.includes('+') ? v.slice(0, v.indexOf('+')) : `${v}+${pepLocal(rng)}`)],
    [8, () => (/\.0$/.test(v) ? v.slice(0, -2) : `${v}.0`)],
    [8, () => toggleCase(rng, v)],
    [6, () => deleteChar(rng, v)],
    [5, () => replaceChar(rng, v, '0123456789abcdeprvost.-_+!')],
    [5, () => truncate(rng, v)],
  ] as const)();
}
