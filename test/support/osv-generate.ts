/**
 * A seeded generator of realistic OSV records across ecosystems, for the 300k-record benchmark: the
 * mix of ecosystems, id styles, version styles, field sizes and a skew of many advisories for popular
 * packages roughly follow OSV's own data. The same seed always gives the same records.
 */
import type { OsvJson } from './osv-zip.js';

interface EcosystemModel {
  /** Full OSV ecosystems the records spread over (releases for distros). */
  ecosystems: string[];
  weight: number;
  id(n: number, rnd: Random): string;
  name(i: number, word: string): string;
  version(rnd: Random): string;
  rangeType: 'ECOSYSTEM' | 'SEMVER';
  /** Distro advisories carry no CVSS vector; language advisories (GHSA) do. */
  cvss: boolean;
}

export type Random = () => number;

/** mulberry32: small, fast, good enough for test data. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  'buffer overflow heap stack parser request header cookie session token path traversal injection ' +
  'remote code execution denial service memory leak integer underflow crafted input attacker local ' +
  'privilege escalation validation certificate signature crypto random predictable race condition ' +
  'xml json yaml template regex catastrophic backtracking redirect open proxy upload archive zip slip ' +
  'deserialization untrusted object prototype pollution cross site scripting forgery server side'
).split(' ');

const int = (rnd: Random, lo: number, hi: number): number => lo + Math.floor(rnd() * (hi - lo + 1));
const pick = <T>(rnd: Random, list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
const semver = (rnd: Random): string => `${int(rnd, 0, 12)}.${int(rnd, 0, 30)}.${int(rnd, 0, 40)}`;
const ghsa = (rnd: Random): string => {
  const chars = '23456789cfghjmpqrvwx';
  const part = (): string => Array.from({ length: 4 }, () => pick(rnd, chars.split(''))).join('');
  return `GHSA-${part()}-${part()}-${part()}`;
};

export const MODELS: Record<string, EcosystemModel> = {
  Debian: {
    ecosystems: ['Debian:11', 'Debian:12', 'Debian:13'],
    weight: 22,
    id: (n, rnd) => (rnd() < 0.7 ? `DEBIAN-CVE-${2005 + (n % 20)}-${10000 + n}` : rnd() < 0.5 ? `DSA-${1000 + n}-1` : `DLA-${1000 + n}-1`),
    name: (i, w) => `${w}${i}`,
    version: (rnd) => `${semver(rnd)}-${int(rnd, 1, 9)}${rnd() < 0.4 ? `+deb12u${int(rnd, 1, 5)}` : ''}`,
    rangeType: 'ECOSYSTEM',
    cvss: false,
  },
  Ubuntu: {
    ecosystems: ['Ubuntu:20.04:LTS', 'Ubuntu:22.04:LTS', 'Ubuntu:24.04:LTS'],
    weight: 18,
    id: (n) => `UBUNTU-CVE-${2005 + (n % 20)}-${20000 + n}`,
    name: (i, w) => `${w}${i}`,
    version: (rnd) => `${semver(rnd)}-${int(rnd, 1, 9)}ubuntu${int(rnd, 0, 3)}.${int(rnd, 1, 9)}`,
    rangeType: 'ECOSYSTEM',
    cvss: false,
  },
  Alpine: {
    ecosystems: ['Alpine:v3.18', 'Alpine:v3.19', 'Alpine:v3.20'],
    weight: 7,
    id: (n) => `ALPINE-CVE-${2005 + (n % 20)}-${30000 + n}`,
    name: (i, w) => `${w}${i}`,
    version: (rnd) => `${semver(rnd)}-r${int(rnd, 0, 12)}`,
    rangeType: 'ECOSYSTEM',
    cvss: false,
  },
  'Red Hat': {
    ecosystems: ['Red Hat:enterprise_linux:8::appstream', 'Red Hat:enterprise_linux:9::baseos'],
    weight: 3,
    id: (n) => `RHSA-${2015 + (n % 10)}:${10000 + n}`,
    name: (i, w) => `${w}${i}`,
    version: (rnd) => `${int(rnd, 0, 2)}:${semver(rnd)}-${int(rnd, 1, 30)}.el9`,
    rangeType: 'ECOSYSTEM',
    cvss: true,
  },
  npm: {
    ecosystems: ['npm'],
    weight: 12,
    id: (_n, rnd) => ghsa(rnd),
    name: (i, w) => (i % 5 === 0 ? `@scope${i % 97}/${w}-${i}` : `${w}-js-${i}`),
    version: semver,
    rangeType: 'SEMVER',
    cvss: true,
  },
  PyPI: {
    ecosystems: ['PyPI'],
    weight: 10,
    id: (n, rnd) => (rnd() < 0.5 ? `PYSEC-${2015 + (n % 10)}-${n}` : ghsa(rnd)),
    // Mixed case and separators, as real PyPI names in OSV: lookups go through PEP 503 normalisation.
    name: (i, w) => (i % 3 === 0 ? `Py_${w[0]?.toUpperCase()}${w.slice(1)}.${i}` : `py-${w}-${i}`),
    version: semver,
    rangeType: 'ECOSYSTEM',
    cvss: true,
  },
  Maven: {
    ecosystems: ['Maven'],
    weight: 8,
    id: (_n, rnd) => ghsa(rnd),
    name: (i, w) => `org.example${i % 50}:${w}-core-${i}`,
    version: semver,
    rangeType: 'ECOSYSTEM',
    cvss: true,
  },
  Go: {
    ecosystems: ['Go'],
    weight: 6,
    id: (n) => `GO-${2020 + (n % 6)}-${1000 + n}`,
    name: (i, w) => `github.com/org${i % 200}/${w}-${i}`,
    version: (rnd) => semver(rnd),
    rangeType: 'SEMVER',
    cvss: false,
  },
  RubyGems: {
    ecosystems: ['RubyGems'],
    weight: 3,
    id: (_n, rnd) => ghsa(rnd),
    name: (i, w) => `${w}_rb${i}`,
    version: semver,
    rangeType: 'ECOSYSTEM',
    cvss: true,
  },
  Packagist: {
    ecosystems: ['Packagist'],
    weight: 4,
    id: (_n, rnd) => ghsa(rnd),
    name: (i, w) => `vendor${i % 300}/${w}-${i}`,
    version: semver,
    rangeType: 'ECOSYSTEM',
    cvss: true,
  },
  'crates.io': {
    ecosystems: ['crates.io'],
    weight: 2,
    id: (n) => `RUSTSEC-${2017 + (n % 8)}-${String(n % 10000).padStart(4, '0')}`,
    name: (i, w) => `${w}_rs${i}`,
    version: semver,
    rangeType: 'SEMVER',
    cvss: true,
  },
  NuGet: {
    ecosystems: ['NuGet'],
    weight: 2,
    id: (_n, rnd) => ghsa(rnd),
    name: (i, w) => `Example.${w[0]?.toUpperCase()}${w.slice(1)}.Lib${i}`,
    version: semver,
    rangeType: 'ECOSYSTEM',
    cvss: true,
  },
};

/** Distinct packages per top-level ecosystem: with 300k records, a popular package has dozens of advisories. */
export const POOL_SIZE = 4000;

const MODEL_NAMES = Object.keys(MODELS);
const TOTAL_WEIGHT = MODEL_NAMES.reduce((sum, k) => sum + (MODELS[k]?.weight ?? 0), 0);

/** The package at index i of an ecosystem's pool. */
export function poolPackage(model: string, i: number): string {
  const m = MODELS[model] as EcosystemModel;
  return m.name(i, WORDS[i % WORDS.length] as string);
}

function pickModel(rnd: Random): string {
  let r = rnd() * TOTAL_WEIGHT;
  for (const name of MODEL_NAMES) {
    r -= MODELS[name]?.weight ?? 0;
    if (r < 0) return name;
  }
  return MODEL_NAMES[0] as string;
}

function text(rnd: Random, words: number): string {
  return Array.from({ length: words }, () => pick(rnd, WORDS)).join(' ');
}

function cvssVector(rnd: Random): string {
  const v = (opts: string): string => pick(rnd, opts.split(''));
  return `CVSS:3.1/AV:${v('NALP')}/AC:${v('LH')}/PR:${v('NLH')}/UI:${v('NR')}/S:${v('UC')}/C:${v('NLH')}/I:${v('NLH')}/A:${v('NLH')}`;
}

/** `count` records; ids are unique within the run. */
export function* generateOsvRecords(count: number, seed = 1): Generator<OsvJson> {
  const rnd = seededRandom(seed);
  const seen = new Set<string>();
  for (let n = 0; n < count; n++) {
    const modelName = pickModel(rnd);
    const model = MODELS[modelName] as EcosystemModel;
    let id = model.id(n, rnd);
    if (seen.has(id)) id = `${id}-${n}`;
    seen.add(id);
    // Squared uniform: low indexes (popular packages) get many more advisories.
    const pkg = poolPackage(modelName, Math.floor(POOL_SIZE * rnd() ** 2));
    const releases = model.ecosystems.filter(() => rnd() < 0.6);
    const ecosystems = releases.length > 0 ? releases : [pick(rnd, model.ecosystems)];
    const fixedShare = rnd();
    const affected = ecosystems.map((ecosystem) => {
      const events: Record<string, string>[] = [{ introduced: rnd() < 0.6 ? '0' : model.version(rnd) }];
      if (fixedShare < 0.8) events.push({ fixed: model.version(rnd) });
      else if (fixedShare < 0.85) events.push({ last_affected: model.version(rnd) });
      const entry: Record<string, unknown> = {
        package: { ecosystem, name: pkg, purl: `pkg:generic/${encodeURIComponent(pkg)}` },
        ranges: [{ type: model.rangeType, events }],
      };
      if (rnd() < 0.2) entry.versions = Array.from({ length: int(rnd, 1, 12) }, () => model.version(rnd));
      if (!model.cvss) entry.ecosystem_specific = { urgency: pick(rnd, ['low', 'medium', 'high', 'not yet assigned', 'unimportant']) };
      if (model.cvss) entry.database_specific = { source: `https://example.invalid/advisories/${id}.json` };
      return entry;
    });
    const cve = `CVE-${2005 + (n % 20)}-${100000 + n}`;
    const record: OsvJson = {
      schema_version: '1.6.0',
      id,
      modified: new Date(Date.UTC(2024, 0, 1) + Math.floor(rnd() * 600) * 86_400_000).toISOString(),
      published: new Date(Date.UTC(2018, 0, 1) + Math.floor(rnd() * 2000) * 86_400_000).toISOString(),
      aliases: id.startsWith('GHSA') || id.startsWith('PYSEC') ? [cve] : [],
      ...(model.cvss ? {} : { upstream: [cve] }),
      summary: text(rnd, int(rnd, 4, 12)),
      details: text(rnd, int(rnd, 20, 120)),
      affected,
      references: Array.from({ length: int(rnd, 1, 5) }, (_, i) => ({
        type: pick(rnd, ['ADVISORY', 'WEB', 'FIX', 'REPORT', 'PACKAGE']),
        url: `https://example.invalid/${id}/ref-${i}`,
      })),
    };
    if (model.cvss) {
      record.severity = [{ type: 'CVSS_V3', score: cvssVector(rnd) }];
      record.database_specific = { severity: pick(rnd, ['LOW', 'MODERATE', 'HIGH', 'CRITICAL']), cwe_ids: [`CWE-${int(rnd, 20, 900)}`] };
    }
    if (modelName === 'Ubuntu') record.severity = [{ type: 'Ubuntu', score: pick(rnd, ['low', 'medium', 'high']) }];
    if (rnd() < 0.005) record.withdrawn = record.modified;
    yield record;
  }
}

/**
 * `count` (full ecosystem, package name) pairs to look up, as a scan of many images would: about
 * half are packages the generator gives advisories to, half are not in the data at all.
 */
export function lookupSample(count: number, seed = 2): { ecosystem: string; name: string }[] {
  const rnd = seededRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const modelName = pickModel(rnd);
    const model = MODELS[modelName] as EcosystemModel;
    const ecosystem = pick(rnd, model.ecosystems);
    const name = i % 2 === 0 ? poolPackage(modelName, Math.floor(POOL_SIZE * rnd() ** 2)) : `absent-${modelName}-${i}`;
    return { ecosystem, name };
  });
}
