import type { SecretRule } from './types.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

const PREAMBLE = [
  '# Secret rules',
  '',
  '<!-- Generated from the rule data in src/modules/secrets/rules.ts; do not edit by hand.',
  '     Regenerate: node --import tsx test/secrets/gen-docs.ts -->',
  '',
  'The secret scanner reads file contents, and an image\'s ENV entries, LABELs and history `created_by`.',
  'Each rule is data: a regex whose named group `secret` is the secret, keywords that must occur before the',
  'regex runs (it runs only from the lines that hold one, except for the GCP key file, whose keyword can be',
  'anywhere in it), and where needed an entropy floor (bits per character, against `xxxx` placeholders) and a',
  'validator (a JWT\'s header must decode to JSON with `alg`; a PEM body must be base64; a password must not',
  'be a placeholder such as `${PASSWORD}`, `<password>`, `changeme` or an empty string). When two rules match',
  'the same text, the more specific one (earlier in the table) reports it.',
  '',
  '- **Passwords in configuration** (BW-SEC-019) are not reported when the value is a placeholder or a',
  '  setting\'s state (`true`, `on`, `define`, `undef`), an unquoted expression in code (`password: BinaryLike,`,',
  '  `passphrase = EMPTY;`: a literal there would be quoted), a sentence (a field\'s description), or the',
  '  sources of the `passwd`/`shadow` databases in nsswitch.conf (`passwd: files`); nor in Debian\'s lintian',
  '  overrides (`/usr/share/lintian/overrides/`, `package: tag` lines).',
  '',
  '- **Masking**: a finding shows at most the secret\'s first 4 characters (fewer when it is shorter than 16)',
  '  and a fixed `********`; the raw secret is in no field of any finding, and its length is not revealed.',
  '- **Fingerprint**: sha256 over kind, rule id, target, path (or ENV/LABEL/history entry), line and the',
  '  sha256 of the secret, never the secret; a rotated secret gets a new fingerprint.',
  '- **Known example values** (AWS documentation\'s `...EXAMPLE` key id and `...EXAMPLEKEY` secret, the',
  '  Azurite emulator key, jwt.io\'s example token) are reported at **LOW** with a note saying so, never at',
  '  the rule\'s severity: they are not live keys, but a file that carries one is often a template for a real',
  '  one. Allow-list them to drop them.',
  '- **Limits**: files over 10 MiB (`maxFileSize`) and files with a NUL byte in their first 8 KiB (binary,',
  '  UTF-16) are skipped and reported to the caller, not scanned.',
  '- **Allow list**: rule ids (or a rule\'s Trivy id listed under aliases), path globs (picomatch, dotfiles',
  '  included, matched with or without the leading `/`) and regexes the raw secret matches; applied before',
  '  findings are returned.',
  '',
  'Aliases are the ids of the same check in Trivy\'s built-in secret rules.',
  '',
  '| id | severity | title | aliases |',
  '| --- | --- | --- | --- |',
];

/** docs/rules/secrets.md, generated from the rules' data. */
export function renderSecretRulesMarkdown(rules: readonly SecretRule[]): string {
  const out = [...PREAMBLE, ...rules.map(({ meta: r }) => `| ${r.id} | ${r.severity} | ${cell(r.title)} | ${r.aliases.join(', ')} |`), ''];
  for (const { meta: r, detect } of rules) {
    out.push(`## ${r.id}: ${r.title}`, '', `Severity: ${r.severity}${r.aliases.length ? `. Aliases: ${r.aliases.join(', ')}` : ''}.`, '', r.rationale, '');
    for (const e of detect.knownExamples ?? []) out.push(`Reported at LOW instead: ${e.note}.`, '');
    out.push(`**Remediation:** ${r.remediation}`, '', 'References:', '', ...r.references.map((u) => `- <${u}>`), '');
  }
  return out.join('\n');
}
