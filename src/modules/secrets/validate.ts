/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  if (s.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of s) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let bits = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    bits -= p * Math.log2(p);
  }
  return bits;
}

/** Template and variable syntaxes: ${X}, $X, $(cmd), %X%, %(x)s, %s, {{ x }}, <x>, [x], #{x}, @x@, ENC(...), !vault. */
const TEMPLATE = /^(?:\$\{.*\}|\$\(.*\)|\$[A-Za-z_][A-Za-z0-9_]*|%[A-Za-z_][A-Za-z0-9_]*%|%\([^)]*\)[sd]|%[sd]|\{\{.*\}\}|\{[A-Za-z_][A-Za-z0-9_.]*\}|<[^<>]*>|\[[^[\]]*\]|#\{.*\}|@[A-Za-z_][A-Za-z0-9_.]*@|ENC\(.*\)|!vault.*|!Ref.*)$/;

/**
 * Words that stand for a password rather than being one, once case and separators are dropped; and
 * the states a setting takes (true, on, enabled; Perl's Configure `define`/`undef`).
 */
const PLACEHOLDER_WORD = /^(?:(?:your|my|the|some|a|an|enter|insert|put|set|db|database|user|admin|root|new|old|secret|super)?(?:password|passwd|pass|pwd|passphrase|secret)(?:here|goeshere|placeholder)?|changeme|changeit|example|sample|placeholder|redacted|hidden|masked|removed|dummy|fake|test|testing|foo|bar|foobar|todo|tbd|fixme|none|null|nil|undefined|true|false|yes|no|on|off|enabled|disabled|define|undef|empty|required|optional|string|str|value|xxx|notset|unset|default)$/;

/**
 * Whether a value is a stand-in for a secret rather than one: empty, a template or variable
 * reference, one character repeated (`xxxx`, `****`), or a word that names a password.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  if (v.length === 0) return true;
  if (TEMPLATE.test(v)) return true;
  if (v.startsWith('$')) return true;
  if (/^(.)\1*$/.test(v)) return true;
  if (/^[*.xX_#-]+$/.test(v)) return true;
  const word = v.toLowerCase().replace(/[^a-z0-9]/g, '');
  return word.length === 0 || PLACEHOLDER_WORD.test(word);
}

/** Key names that mention a password but hold something else: a path, a hash, a policy, a flag. */
const NOT_A_PASSWORD_KEY = /(?:file|path|dir|hash|hashed|digest|length|len|min|max|minlength|maxlength|policy|field|regex|pattern|prompt|label|hint|placeholder|url|uri|enabled|disabled|required|expiry|expires|expiration|age|reset|changed|change|type|mode|format|strength|rules|command|cmd|env|helper|store|manager|auth|authentication|less|input|text|confirm|confirmation|visible|visibility|id|name|key|count|attempts|retries|salt|rounds|iterations|algorithm|algo|encoder|encoding|cost|validation|validator|complexity|history|timeout)$/;

/** Whether a config key names a password value (DB_PASSWORD, passwd, "password"), not e.g. PASSWORD_FILE. */
export function isPasswordKey(key: string): boolean {
  const k = key.toLowerCase().replace(/^[-_.]+/, '');
  if (k === 'pwd' || k === 'oldpwd') return false; // the shell's working directory
  const words = k.replace(/[^a-z0-9]/g, '');
  return !NOT_A_PASSWORD_KEY.test(words);
}

/**
 * The sources of a Name Service Switch database (nsswitch.conf(5): `passwd: files systemd`): under the
 * key `passwd` or `shadow` they name where accounts are looked up, not a password.
 */
const NSS_SOURCE = /^(?:files|compat|db|dns|nis|nisplus|hesiod|ldap|sss|systemd|winbind|extrausers|altfiles|usrfiles|cache|resolve|myhostname|mymachines)$/;

/** Whether `key: value` is a Name Service Switch line for the account databases. */
export function isNssDatabaseLine(key: string, value: string): boolean {
  return /^(?:passwd|shadow|gshadow)$/.test(key) && NSS_SOURCE.test(value);
}

/**
 * A sentence (a description of a password field, in a schema or a message catalogue): four words or
 * more with a comma, or ending in a full stop, question or exclamation mark. A passphrase of words has
 * no punctuation; "Tr0ub4dor and 3" is three words.
 */
export function isProse(value: string): boolean {
  const words = value.trim().split(/\s+/);
  return words.length >= 4 && words.filter((w) => /^[A-Za-z][a-z]*[,.!?:;]?$/.test(w)).length >= 4 && (/, /.test(value) || /[a-z][.!?]$/.test(value.trim()));
}

/** An unquoted value that reads as code (a call, an index, a dotted name) rather than a literal. */
export function looksLikeCode(value: string): boolean {
  return /[()[\]{}]/.test(value) || /^[A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)+$/.test(value) || /^(?:this|self)\b/.test(value);
}

function decodeBase64UrlJson(part: string): unknown {
  if (!/^[A-Za-z0-9_-]+$/.test(part)) return undefined;
  try {
    return JSON.parse(Buffer.from(part, 'base64url').toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * A signed JWT: three base64url parts whose header decodes to a JSON object naming a signing `alg`
 * (not "none") and whose payload decodes to a JSON object. A random base64 blob with two dots fails.
 */
export function isJwt(token: string): boolean {
  const parts = token.split('.');
  if (parts.length !== 3) return false;
  const [header, payload, signature] = parts as [string, string, string];
  const h = decodeBase64UrlJson(header);
  if (!isObject(h) || typeof h.alg !== 'string' || h.alg.length === 0 || h.alg.toLowerCase() === 'none') return false;
  if (!isObject(decodeBase64UrlJson(payload))) return false;
  return /^[A-Za-z0-9_-]{16,}$/.test(signature);
}

/**
 * The base64 of a PEM body: header lines (`Proc-Type:`, `DEK-Info:`, PGP `Version:`) and line breaks,
 * real or JSON-escaped (`\n`), dropped. Undefined when anything else is in there (code, prose, `...`).
 */
export function pemBase64(body: string): string | undefined {
  const lines = body.replace(/\\r|\\n/g, '\n').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0 && !/^[A-Za-z-]+:\s/.test(l));
  const b64 = lines.join('');
  return /^[A-Za-z0-9+/]+={0,2}(?:=[A-Za-z0-9+/]{4})?$/.test(b64) && b64.length >= 32 ? b64 : undefined;
}

/** Whether a PEM private key is passphrase-protected: PKCS#8 ENCRYPTED, legacy Proc-Type, or an OpenSSH key with a cipher. */
export function isEncryptedPrivateKey(type: string, body: string): boolean {
  if (/ENCRYPTED/.test(type) || /Proc-Type:\s*4,ENCRYPTED/.test(body)) return true;
  if (!/OPENSSH/.test(type)) return false;
  const b64 = pemBase64(body);
  if (b64 === undefined) return false;
  // openssh-key-v1 format (OpenSSH PROTOCOL.key): magic "openssh-key-v1\0", then the cipher name as a length-prefixed string.
  const raw = Buffer.from(b64, 'base64');
  const magic = 'openssh-key-v1\0';
  if (raw.length < magic.length + 4 || raw.toString('latin1', 0, magic.length) !== magic) return false;
  const len = raw.readUInt32BE(magic.length);
  const cipher = raw.toString('latin1', magic.length + 4, magic.length + 4 + len);
  return cipher !== 'none';
}
