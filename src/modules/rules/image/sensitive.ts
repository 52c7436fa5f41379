/**
 * Credential files: which paths they are (cheap tests on the relative path, also used by the pack's
 * `wants`) and what in their content makes them a finding. Messages name what was found, never a value.
 */

export interface CredentialKind {
  /** Tested on the path relative to the image root, no leading slash. */
  matches(relative: string, base: string): boolean;
  /** Why the file is a finding, or null when its content shows it holds no credential. */
  judge(content: string | undefined, path: string): string | null;
}

const PRIVATE_KEY = /-----BEGIN ((?:RSA |DSA |EC |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/;
const SSH_KEY_NAMES = /^id_(?:rsa|dsa|ecdsa|ed25519|ecdsa_sk|ed25519_sk|xmss)$/;

const privateKey = (content: string | undefined, fallback: string | null): string | null => {
  if (content === undefined) return fallback;
  const m = PRIVATE_KEY.exec(content);
  return m ? `private key (${m[1]!.replace(/ BLOCK$/, '')})` : null;
};

/** A setting with a non-empty value, e.g. `//registry/:_authToken=...` (npmrc: "=" only) or `password: ...`. */
const hasSetting = (content: string, names: RegExp, colon = true): boolean =>
  content.split('\n').some((line) => {
    const m = (colon ? /^\s*([^#;=:\s][^=:]*?)\s*[=:]\s*(.*)$/ : /^\s*([^#;=\s][^=]*?)\s*=\s*(.*)$/).exec(line);
    return !!m && names.test(m[1]!.trim()) && m[2]!.trim().replace(/^["']|["']$/g, '') !== '';
  });

export const CREDENTIAL_KINDS: readonly CredentialKind[] = [
  {
    matches: (_rel, base) => SSH_KEY_NAMES.test(base),
    judge: (content) => privateKey(content, 'SSH private key file'),
  },
  {
    matches: (rel, base) => rel.startsWith('etc/ssh/') && /^ssh_host_.*_key$/.test(base),
    judge: (content) => {
      const found = privateKey(content, 'SSH host private key');
      return found && `SSH host ${found}: every container of this image shares it`;
    },
  },
  {
    matches: (_rel, base) => /\.(?:pem|key|p8)$/.test(base),
    judge: (content) => privateKey(content, null),
  },
  {
    matches: (rel) => rel.endsWith('.aws/credentials'),
    judge: (content) =>
      content === undefined || hasSetting(content, /^aws_(?:secret_access_key|session_token)$/i) ? 'AWS credentials file with a secret access key' : null,
  },
  {
    matches: (rel, base) =>
      (rel.includes('.config/gcloud/') && (base === 'credentials.db' || base === 'access_tokens.db' || base === 'application_default_credentials.json' || base === 'adc.json')),
    judge: () => 'Google Cloud SDK credentials',
  },
  {
    matches: (rel, base) => rel.includes('.azure/') && (base === 'accessTokens.json' || base === 'msal_token_cache.json' || base === 'service_principal_entries.json'),
    judge: () => 'Azure CLI token cache',
  },
  {
    matches: (rel) => rel.endsWith('.docker/config.json'),
    judge: (content) => (content === undefined || /"(?:auth|identitytoken)"\s*:\s*"[^"]+"/.test(content) ? 'Docker registry credentials' : null),
  },
  {
    matches: (rel) => rel.endsWith('.kube/config'),
    judge: (content) =>
      content === undefined || /^\s*(?:token|client-key-data|password)\s*:\s*\S/m.test(content) ? 'Kubernetes kubeconfig with credentials' : null,
  },
  {
    matches: (_rel, base) => base === '.npmrc',
    judge: (content) => (content === undefined || hasSetting(content, /(?:^|:)(?:_authToken|_auth|_password|password)$/, false) ? 'npm configuration that contains an auth token' : null),
  },
  {
    matches: (_rel, base) => base === '.pypirc',
    judge: (content) => (content === undefined || hasSetting(content, /^password$/i) ? 'PyPI configuration that contains a password or token' : null),
  },
  {
    matches: (_rel, base) => base === '.netrc' || base === '_netrc',
    judge: (content) => (content === undefined || /(?:^|\s)password\s+\S/.test(content) ? '.netrc with a password' : null),
  },
  {
    matches: (_rel, base) => base === '.git-credentials',
    judge: (content) => (content === undefined || /:\/\/[^\s:@/]+:[^\s@/]+@/.test(content) ? 'git credential store with a password' : null),
  },
  {
    matches: (_rel, base) => base === '.env' || (base.startsWith('.env.') && !/\.(?:example|sample|template|dist|defaults?)$/.test(base)),
    judge: (content) => {
      if (content === undefined) return 'environment file';
      const names = content
        .split('\n')
        .map((l) => /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(\S.*)$/.exec(l))
        .filter((m): m is RegExpExecArray => !!m && m[2]!.replace(/^["']|["']$/g, '').trim() !== '')
        .map((m) => m[1]!);
      return names.length ? `environment file setting ${names.join(', ')}` : null;
    },
  },
];

export function credentialKind(relative: string): CredentialKind | undefined {
  const base = relative.slice(relative.lastIndexOf('/') + 1);
  return CREDENTIAL_KINDS.find((k) => k.matches(relative, base));
}
