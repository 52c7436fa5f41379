import type { RuleMeta } from '../rules/types.js';
import type { SecretMatch, SecretRule } from './types.js';
import { isEncryptedPrivateKey, isJwt, isNssDatabaseLine, isPasswordKey, isPlaceholder, isProse, looksLikeCode, pemBase64 } from './validate.js';

const DOCKER_SECRETS = 'https://docs.docker.com/build/building/secrets/';
const CWE_798 = 'https://cwe.mitre.org/data/definitions/798.html';

/** What to do with any leaked credential; rules add the vendor-specific part. */
const ROTATE = 'Revoke and rotate it now (deleting the file in a later layer does not remove it from the image), rebuild without it, and pass secrets at build time with `RUN --mount=type=secret` and at run time from the orchestrator.';

/** Rule metadata with the aliases sorted, as findings and docs list them. */
const defineMeta = (meta: RuleMeta): RuleMeta => ({ ...meta, aliases: [...meta.aliases].sort() });

const notPlaceholder = ({ secret }: SecretMatch): boolean => !isPlaceholder(secret);

/** A private key body: base64 after header lines, and for the PEM rules, encrypted or not as asked. */
const pemRule = (encrypted: boolean) => ({ secret, groups }: SecretMatch): boolean =>
  pemBase64(secret) !== undefined && isEncryptedPrivateKey(groups.type ?? '', secret) === encrypted;

/**
 * A password value: not a placeholder, under a key that names a password, and a literal rather than
 * code or prose. An unquoted value that a `,` or `;` ends straight away (`end`) is an expression in
 * code (`password: BinaryLike,` in a type, `passphrase = EMPTY;`, `PASSWORD: 0x02,` in an enum): a
 * literal there would be quoted.
 */
function passwordValue({ secret, groups }: SecretMatch): boolean {
  if (groups.key !== undefined && !isPasswordKey(groups.key)) return false;
  if (secret.length < 3 || isPlaceholder(secret)) return false;
  if (groups.key !== undefined && isNssDatabaseLine(groups.key, secret)) return false;
  const quoted = groups.q === '"' || groups.q === "'";
  if (quoted) return !isProse(secret);
  return !(looksLikeCode(secret) || /^[|>][-+]?$/.test(secret) || /^!/.test(secret) || groups.end !== undefined);
}

const PASSWORD_KEY = String.raw`(?<key>[A-Za-z0-9_.\-]*(?:password|passwd|passphrase|pwd)[A-Za-z0-9_.\-]*)`;
/** A value in double quotes, single quotes or bare; `q` records which, `secret` is inside. */
const VALUE = String.raw`(?<q>["']?)(?<secret>(?<=")[^"\n]*|(?<=')[^'\n]*|(?<!["'])[^\s"'#;,]+)\k<q>`;
const PEM_SEP = String.raw`(?:\s|\\[rn])`;

const CVS_METHOD = /^(?:pserver|gserver|kserver|ext|server|fork|sspi|extssh):/;

/**
 * Where the generic password rules do not look: documentation and language runtimes' own library
 * trees, which every image of a distro ships alike and whose examples (`passwd='geheim$parole'` in
 * Python's urllib) are not the image author's credentials. The token and key rules still look there,
 * and /etc, application directories, /usr/lib/python3/dist-packages and /usr/local are read as always.
 */
const DISTRO_TEXT = [
  'usr/share/doc/**',
  'usr/share/man/**',
  'usr/share/info/**',
  'usr/lib/python[0-9].[0-9]*/**',
  'usr/share/perl/**',
  'usr/share/perl5/**',
  'usr/lib/*/perl/**',
  'usr/lib/*/perl-base/**',
  'usr/lib/*/perl5/**',
];

export const SECRET_RULES: readonly SecretRule[] = [
  {
    meta: defineMeta({
      id: 'BW-SEC-001',
      title: 'AWS access key id',
      severity: 'HIGH',
      rationale: 'An AWS access key id (AKIA... long-term, ASIA... temporary) names an IAM credential; its secret access key is rarely far away, and the pair gives the IAM identity\'s access to the account.',
      remediation: `Deactivate the access key in IAM. ${ROTATE} Prefer IAM roles (instance profiles, IRSA, ECS task roles) to access keys.`,
      references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html', 'https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_identifiers.html#identifiers-unique-ids'],
      aliases: ['aws-access-key-id'],
    }),
    detect: {
      patterns: [/(?<![A-Za-z0-9])(?<secret>(?:AKIA|ASIA)[A-Z0-9]{16})(?![A-Za-z0-9])/],
      keywords: ['AKIA', 'ASIA'],
      knownExamples: [{ test: (s) => s.endsWith('EXAMPLE'), note: "the example access key id from AWS documentation, not a live key" }],
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-002',
      title: 'AWS secret access key',
      severity: 'CRITICAL',
      rationale: 'A secret access key signs AWS API requests: with its key id it acts as the IAM identity, from anywhere, until it is deactivated.',
      remediation: `Deactivate the access key in IAM. ${ROTATE} Prefer IAM roles to access keys.`,
      references: ['https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html', 'https://docs.aws.amazon.com/cli/latest/userguide/cli-configure-files.html'],
      aliases: ['aws-secret-access-key'],
    }),
    detect: {
      patterns: [/(?<![A-Za-z0-9])(?:aws_?)?secret_?(?:access_?)?key["']?\s*(?:=>|[:=])\s*["']?(?<secret>[A-Za-z0-9/+]{40})(?![A-Za-z0-9/+=])/i],
      keywords: ['secret'],
      scope: 'block',
      minEntropy: 3.5,
      knownExamples: [{ test: (s) => s.endsWith('EXAMPLEKEY'), note: "the example secret access key from AWS documentation, not a live key" }],
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-003',
      title: 'GCP service account key',
      severity: 'CRITICAL',
      rationale: 'A service account key file holds the private key the account signs with: whoever has it acts as the service account, with every role granted to it, until the key is deleted.',
      remediation: `Delete the key in IAM (gcloud iam service-accounts keys delete). ${ROTATE} Prefer Workload Identity or attached service accounts to key files.`,
      references: ['https://cloud.google.com/iam/docs/keys-create-delete', 'https://cloud.google.com/iam/docs/best-practices-for-managing-service-account-keys'],
      aliases: ['gcp-service-account'],
    }),
    detect: {
      patterns: [new RegExp(String.raw`"private_key"\s*:\s*"-----BEGIN (?:RSA )?PRIVATE KEY-----${PEM_SEP}*(?<secret>[A-Za-z0-9+/=][^"]{31,16384}?)${PEM_SEP}*-----END (?:RSA )?PRIVATE KEY-----${PEM_SEP}*"`)],
      keywords: ['service_account'],
      scope: 'file',
      context: /"type"\s*:\s*"service_account"/,
      validate: ({ secret }) => pemBase64(secret) !== undefined,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-004',
      title: 'Azure storage or Service Bus account key',
      severity: 'CRITICAL',
      rationale: 'An AccountKey (storage) or SharedAccessKey (Service Bus, Event Hubs) in a connection string grants full access to the account\'s data, bypassing Microsoft Entra ID.',
      remediation: `Regenerate the key in the Azure portal or with az storage account keys renew. ${ROTATE} Prefer managed identities to account keys.`,
      references: ['https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string', 'https://learn.microsoft.com/azure/storage/common/storage-use-azurite'],
      aliases: [],
    }),
    detect: {
      patterns: [
        /(?<![A-Za-z0-9])AccountKey\s*=\s*(?<secret>[A-Za-z0-9+/]{86}==)/,
        /(?<![A-Za-z0-9])SharedAccessKey\s*=\s*(?<secret>[A-Za-z0-9+/]{43}=)/,
      ],
      keywords: ['AccountKey', 'SharedAccessKey'],
      scope: 'block',
      minEntropy: 4,
      knownExamples: [{
        test: (s) => s === 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==',
        note: 'the documented key of the Azurite storage emulator (devstoreaccount1), not a live key',
      }],
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-005',
      title: 'Azure client secret',
      severity: 'HIGH',
      rationale: 'A Microsoft Entra application\'s client secret lets anyone sign in as the application and use the API permissions granted to it.',
      remediation: `Delete the secret under the app registration's Certificates & secrets. ${ROTATE} Prefer managed identities or certificate credentials.`,
      references: ['https://learn.microsoft.com/entra/identity-platform/how-to-add-credentials'],
      aliases: [],
    }),
    detect: {
      patterns: [
        // The format Entra has issued since 2022: three characters, a digit, "Q~", then 31-34 more.
        /(?<![A-Za-z0-9_~.-])(?<secret>[A-Za-z0-9_~.]{3}\dQ~[A-Za-z0-9_~.-]{31,34})(?![A-Za-z0-9_~.-])/,
        /(?<![A-Za-z0-9])azure_?client_?secret["']?\s*[:=]\s*["']?(?<secret>[A-Za-z0-9_~.\-]{30,})/i,
      ],
      keywords: ['Q~', 'client_secret', 'clientsecret'],
      scope: 'block',
      minEntropy: 3.5,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-006',
      title: 'GitHub personal access token',
      severity: 'CRITICAL',
      rationale: 'A personal access token (classic ghp_ or fine-grained github_pat_) acts as its user on GitHub, with the repositories and scopes granted to it.',
      remediation: `Revoke the token under Settings, Developer settings. ${ROTATE}`,
      references: ['https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats'],
      aliases: ['github-fine-grained-pat', 'github-pat'],
    }),
    detect: {
      patterns: [
        /(?<![A-Za-z0-9_])(?<secret>ghp_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/,
        /(?<![A-Za-z0-9_])(?<secret>github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59})(?![A-Za-z0-9_])/,
      ],
      keywords: ['ghp_', 'github_pat_'],
      minEntropy: 3.5,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-007',
      title: 'GitHub OAuth, app or refresh token',
      severity: 'CRITICAL',
      rationale: 'An OAuth (gho_), user-to-server (ghu_), installation (ghs_) or refresh (ghr_) token acts as the user or GitHub App that it was issued to.',
      remediation: `Revoke the token (or the app's authorization) on GitHub. ${ROTATE}`,
      references: ['https://docs.github.com/en/authentication/keeping-your-account-and-data-secure/about-authentication-to-github#githubs-token-formats'],
      aliases: ['github-app-token', 'github-oauth', 'github-refresh-token'],
    }),
    detect: {
      patterns: [/(?<![A-Za-z0-9_])(?<secret>gh[ousr]_[A-Za-z0-9]{36,76})(?![A-Za-z0-9_])/],
      keywords: ['gho_', 'ghu_', 'ghs_', 'ghr_'],
      minEntropy: 3.5,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-008',
      title: 'GitLab personal access token',
      severity: 'CRITICAL',
      rationale: 'A GitLab personal access token (glpat-) acts as its user on the GitLab instance, with the scopes granted to it (often api, read_repository, write_registry).',
      remediation: `Revoke the token under User settings, Access tokens. ${ROTATE}`,
      references: ['https://docs.gitlab.com/security/tokens/'],
      aliases: ['gitlab-pat'],
    }),
    detect: {
      patterns: [/(?<![A-Za-z0-9_-])(?<secret>glpat-[A-Za-z0-9_-]{20,}(?:\.[A-Za-z0-9_-]+)*)(?![A-Za-z0-9_-])/],
      keywords: ['glpat-'],
      minEntropy: 3.5,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-009',
      title: 'Slack token',
      severity: 'HIGH',
      rationale: 'A Slack bot (xoxb-), user (xoxp-), app-level (xoxa-), refresh (xoxr-) or session (xoxs-) token reads and posts in the workspace as its owner.',
      remediation: `Revoke the token in the Slack app's settings (or auth.revoke). ${ROTATE}`,
      references: ['https://api.slack.com/authentication/token-types'],
      aliases: ['slack-access-token'],
    }),
    detect: {
      // Real tokens start with the numeric team or user id; `xoxb-your-token` does not.
      patterns: [/(?<![A-Za-z0-9-])(?<secret>xox[baprs]-\d{6,}-[A-Za-z0-9-]{8,})(?![A-Za-z0-9-])/],
      keywords: ['xoxb-', 'xoxa-', 'xoxp-', 'xoxr-', 'xoxs-'],
      minEntropy: 3,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-010',
      title: 'Slack incoming webhook URL',
      severity: 'MEDIUM',
      rationale: 'An incoming webhook URL is its own credential: anyone who has it can post messages into the channel it was created for.',
      remediation: `Remove the webhook in the Slack app's Incoming Webhooks settings and create a new one. ${ROTATE}`,
      references: ['https://api.slack.com/messaging/webhooks'],
      aliases: ['slack-web-hook'],
    }),
    detect: {
      patterns: [
        /https:\/\/hooks\.slack\.com\/services\/(?<secret>T[A-Z0-9]{6,}\/B[A-Z0-9]{6,}\/[A-Za-z0-9]{20,})/,
        /https:\/\/hooks\.slack\.com\/(?:workflows|triggers)\/(?<secret>T[A-Z0-9]{6,}\/[A-Za-z0-9]{6,}\/[0-9]+\/[A-Za-z0-9]{20,})/,
      ],
      keywords: ['hooks.slack.com'],
      // Slack's own docs write T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX.
      minEntropy: 3,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-011',
      title: 'Stripe live secret or restricted key',
      severity: 'CRITICAL',
      rationale: 'A live secret key (sk_live_) or restricted key (rk_live_) makes Stripe API calls on the live account: charges, refunds, payouts and customer data.',
      remediation: `Roll the key in the Stripe dashboard (Developers, API keys). ${ROTATE}`,
      references: ['https://docs.stripe.com/keys'],
      aliases: ['stripe-secret-token'],
    }),
    detect: {
      patterns: [/(?<![A-Za-z0-9_])(?<secret>[sr]k_live_[A-Za-z0-9]{20,})(?![A-Za-z0-9_])/],
      keywords: ['sk_live_', 'rk_live_'],
      minEntropy: 3.5,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-012',
      title: 'npm access token',
      severity: 'CRITICAL',
      rationale: 'An npm access token (npm_) publishes and reads packages as its user: a leaked publish token is a supply-chain compromise of every package the user maintains.',
      remediation: `Revoke the token (npm token revoke). ${ROTATE} Use a build secret for .npmrc instead of copying it into the image.`,
      references: ['https://docs.npmjs.com/about-access-tokens', DOCKER_SECRETS],
      aliases: ['npm-access-token'],
    }),
    detect: {
      patterns: [/(?<![A-Za-z0-9_])(?<secret>npm_[A-Za-z0-9]{36})(?![A-Za-z0-9_])/],
      keywords: ['npm_'],
      minEntropy: 3.5,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-013',
      title: 'Registry credential in .npmrc',
      severity: 'HIGH',
      rationale: 'An `_authToken`, `_auth` or `_password` line in .npmrc authenticates to the package registry it names; left in an image, anyone who pulls the image can use it.',
      remediation: `Revoke the token or password at the registry. ${ROTATE} Reference an environment variable (\`_authToken=\${NPM_TOKEN}\`) or mount .npmrc as a build secret.`,
      references: ['https://docs.npmjs.com/cli/configuring-npm/npmrc#auth-related-configuration', DOCKER_SECRETS],
      aliases: [],
    }),
    detect: {
      patterns: [/^[ \t]*(?:\/\/[^\s=]*:)?(?:_authToken|_auth|_password)[ \t]*=[ \t]*["']?(?<secret>[^\s"']+)/m],
      keywords: ['_auth', '_password'],
      validate: notPlaceholder,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-014',
      title: 'PyPI API token',
      severity: 'HIGH',
      rationale: 'A PyPI API token (pypi-) uploads releases of the projects in its scope: a leaked token lets anyone publish a malicious version.',
      remediation: `Remove the token under Account settings, API tokens on PyPI. ${ROTATE} Prefer trusted publishing from CI.`,
      references: ['https://pypi.org/help/#apitoken', 'https://docs.pypi.org/trusted-publishers/'],
      aliases: ['pypi-upload-token'],
    }),
    detect: {
      // The token is a macaroon: "AgE" is its version and location header, base64url-encoded.
      patterns: [/(?<![A-Za-z0-9_-])(?<secret>pypi-AgE[A-Za-z0-9_-]{50,})(?![A-Za-z0-9_-])/],
      keywords: ['pypi-'],
      minEntropy: 3.5,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-015',
      title: 'JSON Web Token',
      severity: 'MEDIUM',
      rationale: 'A signed JWT is a bearer credential: until it expires, whoever holds it is whoever it names, for every service that trusts its issuer.',
      remediation: `Revoke the token or its session at the issuer, or rotate the signing key if it must not wait for expiry. ${ROTATE}`,
      references: ['https://www.rfc-editor.org/rfc/rfc7519', CWE_798],
      aliases: ['jwt-token'],
    }),
    detect: {
      // The header is a JSON object, so its base64url starts with "eyJ" ({"), "eyA" ({ ), "ewo" ({\n) or "ew0" ({\r).
      patterns: [/(?<![A-Za-z0-9_-])(?<secret>(?:eyJ|eyA|ewo|ew0)[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,})(?![A-Za-z0-9_.-])/],
      keywords: ['eyJ', 'eyA', 'ewo', 'ew0'],
      validate: ({ secret }) => isJwt(secret),
      knownExamples: [{
        test: (s) => s === 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
        note: "the example token on jwt.io, signed with a published key, not a live credential",
      }],
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-016',
      title: 'Private key',
      severity: 'HIGH',
      rationale: 'An unencrypted private key (PEM RSA, EC, DSA, PKCS#8, OpenSSH or PGP) lets anyone who pulls the image impersonate its owner: a TLS server, an SSH identity, a signing key.',
      remediation: `Revoke whatever trusts the key (certificate, authorized_keys, deploy key) and issue a new one. ${ROTATE} Mount keys at run time from a secret store.`,
      references: ['https://www.rfc-editor.org/rfc/rfc7468', 'https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key', CWE_798],
      aliases: ['private-key'],
    }),
    detect: {
      patterns: [new RegExp(String.raw`-----BEGIN (?<type>(?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----${PEM_SEP}+(?<secret>[A-Za-z0-9+/=][\s\S]{31,16384}?)${PEM_SEP}*-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`)],
      keywords: ['PRIVATE KEY'],
      scope: 'block',
      validate: pemRule(false),
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-017',
      title: 'Encrypted private key',
      severity: 'MEDIUM',
      rationale: 'A passphrase-protected private key (PKCS#8 ENCRYPTED, legacy Proc-Type ENCRYPTED, or an OpenSSH key with a cipher) is only as safe as its passphrase, which can be attacked offline by anyone who pulls the image.',
      remediation: `Treat the key as exposed: replace it and revoke what trusts it. ${ROTATE}`,
      references: ['https://www.rfc-editor.org/rfc/rfc5958#section-3', 'https://github.com/openssh/openssh-portable/blob/master/PROTOCOL.key'],
      aliases: [],
    }),
    detect: {
      patterns: [new RegExp(String.raw`-----BEGIN (?<type>(?:[A-Z0-9]+ )*)PRIVATE KEY(?: BLOCK)?-----${PEM_SEP}+(?<secret>[A-Za-z0-9+/=][\s\S]{31,16384}?)${PEM_SEP}*-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----`)],
      keywords: ['PRIVATE KEY'],
      scope: 'block',
      validate: pemRule(true),
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-018',
      title: 'Password in a URL',
      severity: 'HIGH',
      rationale: 'A URL of the form scheme://user:password@host carries the password in clear wherever the URL goes: config files, ENV, logs and process lists.',
      remediation: `Change the password at the service. ${ROTATE} Keep the URL without credentials and supply them separately (a secret file, a *_FILE variable).`,
      references: ['https://www.rfc-editor.org/rfc/rfc3986#section-3.2.1', CWE_798],
      aliases: [],
    }),
    detect: {
      patterns: [/(?<![A-Za-z0-9+.-])[A-Za-z][A-Za-z0-9+.-]{1,20}:\/\/(?<user>[^\s:/?#@'"<>[\]{}]{0,128}):(?<secret>[^\s/?#@'"<>]{1,256})@(?=[A-Za-z0-9[._-])/],
      keywords: ['://'],
      // CVS roots (`:pserver:user@host:/repo`) look like an empty user with a password.
      validate: ({ secret, groups }) => !isPlaceholder(secret) && !(groups.user === '' && CVS_METHOD.test(secret)),
      exceptPaths: DISTRO_TEXT,
    },
  },
  {
    meta: defineMeta({
      id: 'BW-SEC-019',
      title: 'Password in a configuration file',
      severity: 'MEDIUM',
      rationale: 'A password assigned in a config file, script or image setting (password=..., "password": "...", DB_PASSWORD=...) is readable by anyone who pulls the image.',
      remediation: `Change the password. ${ROTATE} Read it at run time from a secret file (the *_FILE convention) instead of writing it into configuration.`,
      references: ['https://cwe.mitre.org/data/definitions/260.html', CWE_798, DOCKER_SECRETS],
      aliases: [],
    }),
    detect: {
      patterns: [
        // key: value / key = value on its own line (ini, properties, .env, YAML, TOML, pretty JSON, ENV).
        new RegExp(String.raw`^[ \t]*(?:(?:export|set|ENV|ARG|-)[ \t]+)?(?<kq>["']?)${PASSWORD_KEY}\k<kq>[ \t]*(?::=|=>|[:=])[ \t]*${VALUE}(?=(?<end>[,;])|[ \t]*(?:$|[,#;]|//))`, 'mi'),
        // A quoted value inside an object literal or a call: {"password":"..."}, connect(password="...").
        new RegExp(String.raw`[{,(][ \t]*(?<kq>["']?)${PASSWORD_KEY}\k<kq>[ \t]*(?:=>|[:=])[ \t]*(?<q>["'])(?<secret>(?<=")[^"\n]*|(?<=')[^'\n]*)\k<q>`, 'i'),
        // KEY=value inside a line: shell, command-line flags, history created_by, connection strings.
        new RegExp(String.raw`(?:^|[\s;&|"'])${PASSWORD_KEY}=${VALUE}`, 'mi'),
      ],
      keywords: ['pass', 'pwd'],
      validate: passwordValue,
      exceptPaths: ['usr/share/lintian/overrides/**', ...DISTRO_TEXT],
    },
  },
];
