import { CIS_DOCKER, DOCKLE, defineMeta, type DockerfileRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-DF-002',
  title: 'Secret in ARG or ENV',
  severity: 'HIGH',
  rationale:
    'ENV values are stored in the image configuration and ARG values in its history: anyone who can pull the image can read them.',
  remediation:
    'Pass secrets at build time with `RUN --mount=type=secret` and at run time through the orchestrator\'s secrets or a *_FILE variable; rotate the exposed secret.',
  references: ['https://docs.docker.com/build/building/secrets/', CIS_DOCKER, DOCKLE],
  aliases: ['CIS-DOCKER-4.10', 'CIS-DI-0010'],
});

/** Words that name a secret, matched against the name's parts (split on _ - . and camelCase). */
const SECRET_WORDS = new Set(['PASSWORD', 'PASSWD', 'PASS', 'PWD', 'SECRET', 'SECRETS', 'TOKEN', 'APIKEY', 'CREDENTIAL', 'CREDENTIALS', 'PRIVATEKEY']);
const SECRET_PAIRS = new Set(['API_KEY', 'ACCESS_KEY', 'SECRET_KEY', 'PRIVATE_KEY', 'AUTH_KEY', 'CLIENT_SECRET', 'SECRET_ACCESS', 'ENCRYPTION_KEY', 'SIGNING_KEY']);
/** Last parts that make the name point at a secret rather than hold one (DB_PASSWORD_FILE, TOKEN_URL). */
const NOT_A_VALUE = new Set(['FILE', 'PATH', 'DIR', 'URL', 'URI', 'ENDPOINT', 'HOST', 'PORT', 'NAME', 'USER', 'USERNAME', 'ID', 'LENGTH', 'TTL', 'EXPIRY', 'TYPE', 'HEADER', 'REGION', 'VERSION', 'ENABLED']);

export function isSecretName(name: string): boolean {
  const parts = name
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .split(/[^A-Z0-9]+/)
    .filter(Boolean);
  if (!parts.length || NOT_A_VALUE.has(parts[parts.length - 1] as string)) return false;
  // PWD alone is the shell's working directory.
  if (parts.length === 1 && parts[0] === 'PWD') return false;
  if (parts.some((p) => SECRET_WORDS.has(p))) return true;
  for (let i = 0; i + 1 < parts.length; i++) if (SECRET_PAIRS.has(`${parts[i]}_${parts[i + 1]}`)) return true;
  return false;
}

/** A literal: not empty and not just a reference to another variable. */
function isLiteral(value: string | null): value is string {
  if (value === null) return false;
  const v = value.trim();
  return v !== '' && !/^\$(\{[A-Za-z_][A-Za-z0-9_]*(:?[-+=?][^}]*)?\}|[A-Za-z_][A-Za-z0-9_]*)$/.test(v);
}

export const rule: DockerfileRule = {
  meta,
  check(df, ctx) {
    const out = [];
    for (const instr of df.instructions) {
      if (instr.keyword !== 'ENV' && instr.keyword !== 'ARG') continue;
      for (const p of instr.properties) {
        if (isSecretName(p.name) && isLiteral(p.value)) {
          out.push(ctx.finding(meta, instr, `${instr.keyword} ${p.name} holds a literal value (${'*'.repeat(8)}, ${p.value.length} characters)`));
        }
      }
    }
    return out;
  },
};
