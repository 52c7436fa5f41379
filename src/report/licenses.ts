import { SPDX } from '@cyclonedx/cyclonedx-library';
import { spdxIdString } from './ids.js';

/**
 * Package databases write licences their own way: dpkg copyright files use DEP-5 short names
 * ("GPL-2+", "Expat"), older RPMs use Fedora's legacy names ("GPLv2+", "ASL 2.0"), apk and newer RPMs
 * mostly SPDX. This maps them onto SPDX license expressions; whatever has no SPDX identifier becomes
 * a LicenseRef so that the expression stays valid and the original text is not lost.
 */
export type LicenseNode =
  | { kind: 'license'; id: string; raw: string }
  | { kind: 'ref'; raw: string }
  | { kind: 'with'; license: LicenseNode & { kind: 'license' }; exception: string; raw: string }
  | { kind: 'and' | 'or'; args: LicenseNode[] };

const ALIASES: Readonly<Record<string, string>> = {
  'gpl+': 'GPL-1.0-or-later',
  'asl 2.0': 'Apache-2.0', 'asl-2.0': 'Apache-2.0', 'asl 1.1': 'Apache-1.1',
  'apache 2.0': 'Apache-2.0', 'apache-2': 'Apache-2.0', 'apache 2': 'Apache-2.0', 'apache2': 'Apache-2.0',
  'apache license 2.0': 'Apache-2.0', 'apache-2.0-or-later': 'Apache-2.0+',
  'expat': 'MIT', 'mit license': 'MIT',
  'artistic': 'Artistic-1.0', 'artistic-2': 'Artistic-2.0', 'artistic 2.0': 'Artistic-2.0',
  'mpl-2': 'MPL-2.0', 'mplv2.0': 'MPL-2.0', 'mpl 2.0': 'MPL-2.0', 'mplv1.1': 'MPL-1.1', 'mplv1.0': 'MPL-1.0',
  'python': 'Python-2.0', 'psf': 'Python-2.0', 'boost': 'BSL-1.0', 'cc0': 'CC0-1.0', 'ofl': 'OFL-1.1',
  'bsd-2': 'BSD-2-Clause', 'bsd-3': 'BSD-3-Clause', 'bsd-4': 'BSD-4-Clause',
};

const EXCEPTIONS = new Map(
  [
    'Classpath-exception-2.0', 'GCC-exception-2.0', 'GCC-exception-3.1', 'LLVM-exception', 'Linux-syscall-note',
    'Autoconf-exception-2.0', 'Autoconf-exception-3.0', 'Bison-exception-2.2', 'Font-exception-2.0',
    'Libtool-exception', 'Qt-GPL-exception-1.0', 'Qt-LGPL-exception-1.1', 'OCaml-LGPL-linking-exception',
    'openvpn-openssl-exception', 'WxWindows-exception-3.1', 'FLTK-exception', 'u-boot-exception-2.0',
  ].map((id) => [id.toLowerCase(), id]),
);

const LICENSE_REF = /^LicenseRef-[A-Za-z0-9.-]+$/;
const GNU = /^(agpl|lgpl|gpl|gfdl)[-_ ]?(v)?(\d)(?:\.(\d))?(\+|-or-later|-only)?$/i;

/** GNU licences: DEP-5 "GPL-2+", Fedora "GPLv2+", deprecated SPDX "GPL-2.0+" all become -only/-or-later ids. */
function gnuId(term: string): string | undefined {
  const m = GNU.exec(term);
  if (!m) return undefined;
  const [, family = '', v, major = '', minorGiven, suffix] = m;
  // Fedora's legacy "LGPLv2" tag means LGPL-2.1; DEP-5 "LGPL-2" is the 2.0 Library GPL.
  const minor = minorGiven ?? (family.toLowerCase() === 'lgpl' && v && major === '2' ? '1' : '0');
  const later = suffix === '+' || suffix?.toLowerCase() === '-or-later';
  const id = `${family.toUpperCase()}-${major}.${minor}-${later ? 'or-later' : 'only'}`;
  return SPDX.isSupportedSpdxId(id) ? id : undefined;
}

function lookupId(term: string): string | undefined {
  const key = term.toLowerCase().replace(/\s+/g, ' ');
  const found = gnuId(term) ?? ALIASES[key] ?? SPDX.fixupSpdxId(term);
  if (found) return found;
  if (term.endsWith('+') && term.length > 1) {
    const base = lookupId(term.slice(0, -1));
    if (base && SPDX.isSupportedSpdxId(base)) return `${base}+`;
  }
  return undefined;
}

function mapTerm(raw: string): LicenseNode {
  const term = raw.trim();
  if (LICENSE_REF.test(term)) return { kind: 'ref', raw: term };
  const id = lookupId(term);
  return id ? { kind: 'license', id, raw: term } : { kind: 'ref', raw: term };
}

type Token = { t: '(' | ')' } | { t: 'op'; op: 'and' | 'or' | 'with' } | { t: 'term'; text: string };

function tokenize(raw: string): Token[] {
  const tokens: Token[] = [];
  for (const part of raw.split(/(\(|\)|\s+(?:and|or|with)\s+|\s*,\s*(?:and\s+)?)/i)) {
    const p = part.trim().toLowerCase();
    if (part === '(' || part === ')') tokens.push({ t: part });
    else if (p === 'and' || p === 'or' || p === 'with') tokens.push({ t: 'op', op: p });
    else if (p === ',' || p.startsWith(',')) tokens.push({ t: 'op', op: 'and' });
    else if (p !== '') tokens.push({ t: 'term', text: part.trim() });
  }
  return tokens;
}

class Parser {
  #pos = 0;
  constructor(private readonly tokens: Token[]) {}

  parse(): LicenseNode {
    const node = this.#list('or');
    if (this.#pos !== this.tokens.length) throw new Error('trailing tokens');
    return node;
  }

  #isOp(op: string): boolean {
    const t = this.tokens[this.#pos];
    return t?.t === 'op' && t.op === op;
  }

  #list(op: 'and' | 'or'): LicenseNode {
    const next = (): LicenseNode => (op === 'or' ? this.#list('and') : this.#with());
    const args = [next()];
    while (this.#isOp(op)) {
      this.#pos++;
      args.push(next());
    }
    return args.length === 1 ? args[0]! : { kind: op, args };
  }

  #with(): LicenseNode {
    const license = this.#atom();
    if (!this.#isOp('with')) return license;
    this.#pos++;
    const t = this.tokens[this.#pos++];
    if (t?.t !== 'term') throw new Error('exception expected');
    const exception = EXCEPTIONS.get(t.text.toLowerCase());
    const raw = `${'raw' in license ? license.raw : '?'} with ${t.text}`;
    return license.kind === 'license' && exception ? { kind: 'with', license, exception, raw } : { kind: 'ref', raw };
  }

  #atom(): LicenseNode {
    const t = this.tokens[this.#pos++];
    if (t?.t === 'term') return mapTerm(t.text);
    if (t?.t !== '(') throw new Error('licence expected');
    const inner = this.#list('or');
    if (this.tokens[this.#pos++]?.t !== ')') throw new Error('unbalanced parenthesis');
    return inner;
  }
}

export function parseLicense(raw: string): LicenseNode {
  try {
    return new Parser(tokenize(raw)).parse();
  } catch {
    return { kind: 'ref', raw: raw.trim() };
  }
}

/** The LicenseRef id for unlisted licence text; text that already is a LicenseRef is kept. */
export function licenseRefId(text: string): string {
  return LICENSE_REF.test(text) ? text : `LicenseRef-${spdxIdString(text)}`;
}

export function renderExpression(node: LicenseNode, refFor: (text: string) => string = licenseRefId): string {
  switch (node.kind) {
    case 'license':
      return node.id;
    case 'ref':
      return refFor(node.raw);
    case 'with':
      return `${node.license.id} WITH ${node.exception}`;
    case 'and':
      return node.args.map((a) => (a.kind === 'or' ? `(${renderExpression(a, refFor)})` : renderExpression(a, refFor))).join(' AND ');
    case 'or':
      return node.args.map((a) => renderExpression(a, refFor)).join(' OR ');
  }
}

/** All of a package's licences as one SPDX expression (joined with AND), or undefined when it has none. */
export function spdxExpression(licenses: readonly string[], refFor?: (text: string) => string): string | undefined {
  const nodes = licenses.filter((l) => l.trim() !== '').map(parseLicense);
  const parts = [...new Set(nodes.map((n) => (n.kind === 'or' && nodes.length > 1 ? `(${renderExpression(n, refFor)})` : renderExpression(n, refFor))))];
  return parts.length === 0 ? undefined : parts.join(' AND ');
}

/** The SPDX License List id when the whole string maps to exactly one listed licence. */
export function listedSpdxId(raw: string): string | undefined {
  const node = parseLicense(raw);
  return node.kind === 'license' && SPDX.isSupportedSpdxId(node.id) ? node.id : undefined;
}
