import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Severity } from '../../src/core/finding.js';
import { maskSecret, scanSecretsInText, SECRET_RULES } from '../../src/modules/secrets/index.js';
import { assertMasked } from './assert-masked.js';
import { ALNUM, B64, B64URL, DIGITS, UPPER_DIGITS, base64OfBytes, fake, keys, opensshKey, pemBody, signedJwt } from './fake.js';

interface Positive {
  name: string;
  text: string;
  secret: string;
  line: number;
  /** When it differs from the rule's: known example values are LOW. */
  severity?: Severity;
}
interface Negative {
  name: string;
  text: string;
}

/** `line` is where `s` starts, after filler lines that match no rule. */
const at = (line: number, s: string): string => `${Array.from({ length: line - 1 }, (_, i) => `# filler ${i + 1}`).join('\n')}${line > 1 ? '\n' : ''}${s}\n# trailer\n`;

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

const akia = `AKIA${fake('akia', UPPER_DIGITS, 16)}`;
const asia = `ASIA${fake('asia', UPPER_DIGITS, 16)}`;
const awsSecret = fake('aws-secret', B64, 40);
const azureKey = base64OfBytes('azure-account', 64);
const sbKey = base64OfBytes('service-bus', 32);
const entraSecret = `${fake('entra-a', ALNUM, 3)}8Q~${fake('entra-b', ALNUM, 34)}`;
const ghp = `ghp_${fake('ghp', ALNUM, 36)}`;
const githubPat = `github_pat_${fake('gpat-a', ALNUM, 22)}_${fake('gpat-b', ALNUM, 59)}`;
const gho = `gho_${fake('gho', ALNUM, 36)}`;
const ghs = `ghs_${fake('ghs', ALNUM, 36)}`;
const ghr = `ghr_${fake('ghr', ALNUM, 76)}`;
const glpat = `glpat-${fake('glpat', `${ALNUM}-_`, 20)}`;
const xoxb = `xoxb-${fake('xoxb-a', DIGITS, 11)}-${fake('xoxb-b', DIGITS, 12)}-${fake('xoxb-c', ALNUM, 24)}`;
const xoxp = `xoxp-${fake('xoxp-a', DIGITS, 11)}-${fake('xoxp-b', DIGITS, 11)}-${fake('xoxp-c', DIGITS, 12)}-${fake('xoxp-d', '0123456789abcdef', 32)}`;
const hookPath = `T${fake('hook-t', UPPER_DIGITS, 8)}/B${fake('hook-b', UPPER_DIGITS, 10)}/${fake('hook-x', ALNUM, 24)}`;
const skLive = `sk_live_${fake('sk', ALNUM, 24)}`;
const rkLive = `rk_live_${fake('rk', ALNUM, 99)}`;
const npmToken = `npm_${fake('npm', ALNUM, 36)}`;
const registryToken = fake('npmrc', '0123456789abcdef', 32);
const npmAuth = Buffer.from(`ci:${fake('npm-pass', ALNUM, 16)}`).toString('base64');
const pypi = `pypi-AgEIcHlwaS5vcmc${fake('pypi', B64URL, 120)}`;
const jwtHs = signedJwt('{"alg":"HS256","typ":"JWT"}', { sub: 'svc-backup', iat: 1700000000 });
const jwtSpaced = signedJwt('{ "alg": "RS256", "kid": "k1" }', { sub: 'svc-backup' });
const urlPass = fake('url-pass', ALNUM, 18);
const cfgPass = fake('cfg-pass', ALNUM, 14);

const saJson = (privateKey: string): string => JSON.stringify({
  type: 'service_account', project_id: 'demo', private_key_id: fake('kid', '0123456789abcdef', 40), private_key: privateKey,
  client_email: 'backup@demo.iam.gserviceaccount.com', client_id: fake('cid', DIGITS, 21),
}, null, 2);
const gcpText = saJson(keys.pkcs8);
const opensshPlain = opensshKey('none');
const opensshEncrypted = opensshKey('aes256-ctr');
const pgp = `-----BEGIN PGP PRIVATE KEY BLOCK-----\n\n${base64OfBytes('pgp', 300).replace(/.{64}/g, '$&\n')}\n=${fake('pgp-crc', B64, 4)}\n-----END PGP PRIVATE KEY BLOCK-----\n`;

const CASES: Record<string, { positives: Positive[]; negatives: Negative[] }> = {
  'BW-SEC-001': {
    positives: [
      { name: 'credentials file', text: at(3, `aws_access_key_id = ${akia}`), secret: akia, line: 3 },
      { name: 'temporary key in JSON', text: at(2, `  "AccessKeyId": "${asia}",`), secret: asia, line: 2 },
      { name: 'documented example', text: at(4, 'export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE'), secret: 'AKIAIOSFODNN7EXAMPLE', line: 4, severity: 'LOW' },
    ],
    negatives: [
      { name: 'AKIA and too few characters', text: at(1, `key = ${akia.slice(0, 19)}`) },
      { name: 'AKIA inside a longer word', text: at(1, `id = ${akia}X`) },
      { name: 'lower case', text: at(1, `id = ${akia.toLowerCase()}`) },
      { name: 'preceded by letters', text: at(1, `id = XY${akia}`) },
    ],
  },
  'BW-SEC-002': {
    positives: [
      { name: 'credentials file', text: at(5, `aws_secret_access_key = ${awsSecret}`), secret: awsSecret, line: 5 },
      { name: 'ENV', text: at(1, `AWS_SECRET_ACCESS_KEY="${awsSecret}"`), secret: awsSecret, line: 1 },
      { name: 'create-access-key output', text: at(2, `    "SecretAccessKey": "${awsSecret}",`), secret: awsSecret, line: 2 },
      { name: 'documented example', text: at(2, 'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY'), secret: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', line: 2, severity: 'LOW' },
    ],
    negatives: [
      { name: '40 base64 characters without the AWS context', text: at(1, `checksum = ${awsSecret}`) },
      { name: 'placeholder of one character', text: at(1, `aws_secret_access_key = ${'x'.repeat(40)}`) },
      { name: 'variable reference', text: at(1, 'aws_secret_access_key = ${AWS_SECRET_ACCESS_KEY}') },
      { name: 'one character short', text: at(1, `aws_secret_access_key = ${awsSecret.slice(1)}`) },
    ],
  },
  'BW-SEC-003': {
    positives: [{ name: 'key file', text: gcpText, secret: pemBody(keys.pkcs8).replace(/\n/g, '\\n'), line: lineOf(gcpText, '"private_key"') }],
    negatives: [
      { name: 'empty private_key', text: saJson('') },
      { name: 'elided private_key', text: saJson('-----BEGIN PRIVATE KEY-----\n...\n-----END PRIVATE KEY-----\n') },
      { name: 'authorized_user credentials carry no key', text: JSON.stringify({ type: 'authorized_user', client_id: 'x.apps.googleusercontent.com', quota_project_id: 'demo' }, null, 2) },
    ],
  },
  'BW-SEC-004': {
    positives: [
      { name: 'storage connection string', text: at(2, `STORAGE=DefaultEndpointsProtocol=https;AccountName=acct;AccountKey=${azureKey};EndpointSuffix=core.windows.net`), secret: azureKey, line: 2 },
      { name: 'Service Bus connection string', text: at(3, `"Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${sbKey}"`), secret: sbKey, line: 3 },
      {
        name: 'Azurite emulator key',
        text: at(1, 'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;'),
        secret: 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==', line: 1, severity: 'LOW',
      },
    ],
    negatives: [
      { name: 'placeholder', text: at(1, 'AccountName=acct;AccountKey=<account-key>;') },
      { name: 'too short', text: at(1, `AccountKey=${azureKey.slice(20)}`) },
      { name: 'low entropy', text: at(1, `AccountKey=${'A'.repeat(86)}==`) },
    ],
  },
  'BW-SEC-005': {
    positives: [
      { name: 'current format', text: at(2, `AZURE_CLIENT_SECRET=${entraSecret}`), secret: entraSecret, line: 2 },
      { name: 'current format in JSON', text: at(3, `  "clientSecret": "${entraSecret}"`), secret: entraSecret, line: 3 },
      { name: 'older format by its key', text: at(1, `azure_client_secret: ${fake('entra-old', ALNUM, 34)}`), secret: fake('entra-old', ALNUM, 34), line: 1 },
    ],
    negatives: [
      { name: 'Q~ in a short word', text: at(1, 'see abc1Q~xyz') },
      { name: 'variable reference', text: at(1, 'AZURE_CLIENT_SECRET=${AZURE_CLIENT_SECRET}') },
    ],
  },
  'BW-SEC-006': {
    positives: [
      { name: 'classic PAT', text: at(2, `GITHUB_TOKEN=${ghp}`), secret: ghp, line: 2 },
      { name: 'fine-grained PAT', text: at(4, `token: "${githubPat}"`), secret: githubPat, line: 4 },
    ],
    negatives: [
      { name: 'one character short', text: at(1, `GITHUB_TOKEN=${ghp.slice(0, -1)}`) },
      { name: 'placeholder', text: at(1, `GITHUB_TOKEN=ghp_${'X'.repeat(36)}`) },
      { name: 'prefix in prose', text: at(1, 'Classic tokens start with ghp_ and are 40 characters long.') },
    ],
  },
  'BW-SEC-007': {
    positives: [
      { name: 'OAuth token', text: at(1, `oauth_token: ${gho}`), secret: gho, line: 1 },
      { name: 'installation token', text: at(2, `git clone https://x-access-token:${ghs}@github.com/o/r.git`), secret: ghs, line: 2 },
      { name: 'refresh token', text: at(3, `refresh=${ghr}`), secret: ghr, line: 3 },
    ],
    negatives: [{ name: 'too short', text: at(1, `oauth_token: gho_${fake('short', ALNUM, 20)}`) }],
  },
  'BW-SEC-008': {
    positives: [{ name: 'PAT', text: at(3, `CI_TOKEN=${glpat}`), secret: glpat, line: 3 }],
    negatives: [
      { name: 'placeholder', text: at(1, 'CI_TOKEN=glpat-xxxxxxxxxxxxxxxxxxxx') },
      { name: 'too short', text: at(1, 'CI_TOKEN=glpat-abc123') },
    ],
  },
  'BW-SEC-009': {
    positives: [
      { name: 'bot token', text: at(2, `SLACK_BOT_TOKEN=${xoxb}`), secret: xoxb, line: 2 },
      { name: 'user token', text: at(1, `token = "${xoxp}"`), secret: xoxp, line: 1 },
    ],
    negatives: [
      { name: 'placeholder', text: at(1, 'SLACK_BOT_TOKEN=xoxb-your-bot-token-here') },
      { name: 'client token prefix not covered', text: at(1, `t = xoxc-${fake('xoxc', DIGITS, 11)}-${fake('xoxc-b', ALNUM, 24)}`) },
    ],
  },
  'BW-SEC-010': {
    positives: [{ name: 'webhook', text: at(2, `webhook_url: https://hooks.slack.com/services/${hookPath}`), secret: hookPath, line: 2 }],
    negatives: [
      { name: "Slack's documentation example", text: at(1, 'https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX') },
      { name: 'host only', text: at(1, 'Post to https://hooks.slack.com/services/ with your webhook.') },
    ],
  },
  'BW-SEC-011': {
    positives: [
      { name: 'secret key', text: at(1, `STRIPE_KEY=${skLive}`), secret: skLive, line: 1 },
      { name: 'restricted key', text: at(2, `stripe.api_key = "${rkLive}"`), secret: rkLive, line: 2 },
    ],
    negatives: [
      { name: 'test-mode key', text: at(1, `STRIPE_KEY=sk_test_${fake('sk-test', ALNUM, 24)}`) },
      { name: 'publishable key', text: at(1, `STRIPE_PK=pk_live_${fake('pk', ALNUM, 24)}`) },
    ],
  },
  'BW-SEC-012': {
    positives: [
      { name: 'in .npmrc (reported once, as the token)', text: at(2, `//registry.npmjs.org/:_authToken=${npmToken}`), secret: npmToken, line: 2 },
      { name: 'in ENV', text: at(1, `NPM_TOKEN=${npmToken}`), secret: npmToken, line: 1 },
    ],
    negatives: [{ name: 'too short', text: at(1, `NPM_TOKEN=npm_${fake('npm-short', ALNUM, 10)}`) }],
  },
  'BW-SEC-013': {
    positives: [
      { name: '_authToken for a private registry', text: at(3, `registry=https://npm.example.com/\n//npm.example.com/:_authToken=${registryToken}`), secret: registryToken, line: 4 },
      { name: '_auth', text: at(1, `_auth = ${npmAuth}`), secret: npmAuth, line: 1 },
    ],
    negatives: [
      { name: 'environment variable reference', text: at(1, '//registry.npmjs.org/:_authToken=${NPM_TOKEN}') },
      { name: 'empty', text: at(1, '//registry.npmjs.org/:_authToken=') },
    ],
  },
  'BW-SEC-014': {
    positives: [
      { name: 'token', text: at(1, `TWINE_PASSWORD=${pypi}`), secret: pypi, line: 1 },
      { name: '.pypirc (reported once, as the token)', text: at(1, `[pypi]\nusername = __token__\npassword = ${pypi}`), secret: pypi, line: 3 },
    ],
    negatives: [{ name: 'prefix only', text: at(1, 'Tokens look like pypi-AgEIcHlwaS5vcmc followed by more characters.') }],
  },
  'BW-SEC-015': {
    positives: [
      { name: 'HS256 token', text: at(2, `Authorization: Bearer ${jwtHs}`), secret: jwtHs, line: 2 },
      { name: 'header with spaces', text: at(1, `token=${jwtSpaced}`), secret: jwtSpaced, line: 1 },
      {
        name: "jwt.io's example",
        text: at(3, 'curl -H "Authorization: Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c"'),
        secret: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
        line: 3, severity: 'LOW',
      },
    ],
    negatives: [
      { name: 'a base64 blob with dots is not a JWT', text: at(1, `blob = eyJ${fake('blob-a', B64URL, 30)}.${fake('blob-b', B64URL, 40)}.${fake('blob-c', B64URL, 43)}`) },
      { name: 'unsigned (alg none)', text: at(1, `t = ${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from('{"sub":"x"}').toString('base64url')}.${fake('none-sig', B64URL, 20)}`) },
      { name: 'header without alg', text: at(1, `t = ${signedJwt('{"typ":"JWT","kid":"1"}', { sub: 'x' })}`) },
      { name: 'payload not JSON', text: at(1, `t = ${Buffer.from('{"alg":"HS256"}').toString('base64url')}.${fake('payload', B64URL, 30)}.${fake('sig', B64URL, 43)}`) },
    ],
  },
  'BW-SEC-016': {
    positives: [
      { name: 'RSA (PKCS#1)', text: at(2, keys.rsaPkcs1), secret: pemBody(keys.rsaPkcs1), line: 2 },
      { name: 'EC (SEC1)', text: at(1, keys.ecSec1), secret: pemBody(keys.ecSec1), line: 1 },
      { name: 'PKCS#8', text: at(3, keys.pkcs8), secret: pemBody(keys.pkcs8), line: 3 },
      { name: 'DSA', text: at(1, keys.dsa), secret: pemBody(keys.dsa), line: 1 },
      { name: 'OpenSSH, no passphrase', text: at(2, opensshPlain), secret: pemBody(opensshPlain), line: 2 },
      { name: 'PGP', text: at(1, pgp), secret: pemBody(pgp), line: 1 },
      { name: 'JSON-escaped in a string', text: at(2, `{"key": ${JSON.stringify(keys.ecSec1)}}`), secret: pemBody(keys.ecSec1).replace(/\n/g, '\\n'), line: 2 },
    ],
    negatives: [
      { name: 'elided body in documentation', text: at(1, '-----BEGIN RSA PRIVATE KEY-----\n...\n-----END RSA PRIVATE KEY-----') },
      { name: 'header constants in code', text: at(1, 'const HEADER = "-----BEGIN PRIVATE KEY-----";\nconst FOOTER = "-----END PRIVATE KEY-----";\nif (pem.startsWith(HEADER) && pem.includes(FOOTER)) parse(pem);') },
      { name: 'public key', text: at(1, keys.publicKey) },
      { name: 'BEGIN without END', text: at(1, `-----BEGIN PRIVATE KEY-----\n${pemBody(keys.pkcs8)}\n`) },
    ],
  },
  'BW-SEC-017': {
    positives: [
      { name: 'PKCS#8 ENCRYPTED', text: at(2, keys.pkcs8Encrypted), secret: pemBody(keys.pkcs8Encrypted), line: 2 },
      { name: 'legacy Proc-Type ENCRYPTED', text: at(1, keys.rsaLegacyEncrypted), secret: pemBody(keys.rsaLegacyEncrypted), line: 1 },
      { name: 'OpenSSH with a cipher', text: at(3, opensshEncrypted), secret: pemBody(opensshEncrypted), line: 3 },
    ],
    negatives: [{ name: 'elided encrypted key', text: at(1, '-----BEGIN ENCRYPTED PRIVATE KEY-----\n<your key>\n-----END ENCRYPTED PRIVATE KEY-----') }],
  },
  'BW-SEC-018': {
    positives: [
      { name: 'database URL', text: at(2, `DATABASE_URL=postgres://app:${urlPass}@db:5432/app`), secret: urlPass, line: 2 },
      { name: 'empty user', text: at(1, `cache: redis://:${urlPass}@cache:6379/0`), secret: urlPass, line: 1 },
      { name: 'git remote', text: at(3, `url = https://deploy:${urlPass}@git.example.com/team/repo.git`), secret: urlPass, line: 3 },
    ],
    negatives: [
      { name: 'shell variable', text: at(1, 'DATABASE_URL=postgres://app:${DB_PASSWORD}@db:5432/app') },
      { name: 'angle-bracket placeholder', text: at(1, 'Connect with https://user:<password>@host/path') },
      { name: 'the word password', text: at(1, 'mongodb://user:password@localhost:27017') },
      { name: 'template', text: at(1, 'amqp://guest:{{ .Values.rabbit.password }}@rabbit:5672/') },
      { name: 'no password', text: at(1, 'git clone git@github.com:org/repo.git && curl https://user@example.com/x') },
      { name: 'port and @ in the path', text: at(1, 'GET http://localhost:8080/users/@me') },
    ],
  },
  'BW-SEC-019': {
    positives: [
      { name: '.env', text: at(2, `DB_PASSWORD=${cfgPass}`), secret: cfgPass, line: 2 },
      { name: 'YAML, quoted with a space', text: at(3, 'database:\n  user: app\n  password: "Tr0ub4dor and 3"'), secret: 'Tr0ub4dor and 3', line: 5 },
      { name: 'pretty JSON', text: at(1, `{\n  "user": "app",\n  "password": "${cfgPass}",\n  "port": 5432\n}`), secret: cfgPass, line: 3 },
      { name: 'minified JSON', text: at(4, `{"user":"app","password":"${cfgPass}"}`), secret: cfgPass, line: 4 },
      { name: 'INI with spaces', text: at(1, `[client]\npassword = ${cfgPass}`), secret: cfgPass, line: 2 },
      { name: 'connection string', text: at(2, `"Server=db;Database=app;User Id=sa;Password=${cfgPass};"`), secret: cfgPass, line: 2 },
      { name: 'command-line flag', text: at(1, `mysql -u root --password=${cfgPass} app`), secret: cfgPass, line: 1 },
      { name: 'flag at the start of a continued line', text: at(2, `mysql -u root \\
--password=${cfgPass} app`), secret: cfgPass, line: 3 },
      { name: 'keyword argument in code', text: at(2, `conn = connect(host="db", password="${cfgPass}")`), secret: cfgPass, line: 2 },
      { name: 'properties', text: at(1, `spring.datasource.password=${cfgPass}`), secret: cfgPass, line: 1 },
      { name: 'CRLF line endings', text: `a=1\r\nb=2\r\nADMIN_PASSWD=${cfgPass}\r\n`, secret: cfgPass, line: 3 },
      { name: 'the key passwd with a password, not an NSS source', text: at(2, `passwd: ${cfgPass}`), secret: cfgPass, line: 2 },
      { name: 'a shell line ended by ;', text: at(1, `export DB_PASSWORD=${cfgPass}; ./run`), secret: cfgPass, line: 1 },
      { name: 'INI value before a ; comment', text: at(2, `password = ${cfgPass} ; rotated monthly`), secret: cfgPass, line: 2 },
      { name: 'a passphrase of plain words', text: at(1, 'passphrase: "correct horse battery staple"'), secret: 'correct horse battery staple', line: 1 },
    ],
    negatives: [
      { name: '${PASSWORD}', text: at(1, 'password=${PASSWORD}') },
      { name: '$PASSWORD', text: at(1, 'DB_PASSWORD=$PASSWORD') },
      { name: '<password>', text: at(1, 'password: <password>') },
      { name: 'empty', text: at(1, 'password=\n"password": ""') },
      { name: 'changeme', text: at(1, 'password: changeme') },
      { name: 'the word password', text: at(1, 'DB_PASSWORD=your_password') },
      { name: 'password in prose', text: at(1, 'The password must be at least 12 characters long.\nPassword: the one you chose at install time.\nEnter your password: then press return.') },
      { name: 'a path to a secret file', text: at(1, 'POSTGRES_PASSWORD_FILE=/run/secrets/db') },
      { name: 'a policy setting', text: at(1, 'password_min_length = 12\npassword_required: true') },
      { name: 'code reading it from the environment', text: at(1, 'password = os.getenv("DB_PASSWORD")\npassword = self.password\npassword: process.env.DB_PASSWORD') },
      { name: 'template', text: at(1, 'password: "{{ .Values.db.password }}"\npassword: !vault |') },
      { name: 'working directory', text: at(1, 'PWD=/home/app\nOLDPWD=/') },
      { name: 'command substitution', text: at(1, 'export DB_PASSWORD=$(cat /run/secrets/db)') },
      // Lines of the Debian base image (bookworm): /etc/nsswitch.conf and /usr/share/libc-bin/nsswitch.conf ...
      { name: 'nsswitch.conf: the passwd database and its sources', text: at(7, 'passwd:         files\ngroup:          files\nshadow:         files\ngshadow:        files') },
      { name: 'nsswitch.conf with other sources', text: at(1, 'passwd: compat\npasswd: systemd\nshadow: sss') },
      // ... and /usr/lib/x86_64-linux-gnu/perl-base/Config_heavy.pl (Configure's define/undef flags).
      { name: 'Perl Configure flags', text: at(529, "d_grpasswd='define'\nd_pwpasswd='define'\ni_pwd='define'\nd_getpwent='undef'") },
      { name: 'an expression in code, not a literal', text: at(1, 'password: BinaryLike,\npassphrase = EMPTY_PASSPHRASE;\n  USERNAME_PASSWORD: 0x02,\nmodule.exports.cannotHaveAUsernamePasswordPort = cannotHaveAUsernamePasswordPort;') },
      { name: 'a description of the field', text: at(1, '"password": "A secret word, phrase, or sequence of characters used during authentication or authorization.",') },
    ],
  },
};

const run = (text: string) => scanSecretsInText(text, { target: 'registry.example/app:1.0', path: '/app/config' });

describe('secret rules: true positives and look-alike negatives', () => {
  it('every rule has at least one positive and one negative case', () => {
    assert.deepEqual(Object.keys(CASES).sort(), SECRET_RULES.map((r) => r.meta.id).sort());
    for (const [id, c] of Object.entries(CASES)) assert.ok(c.positives.length > 0 && c.negatives.length > 0, id);
  });

  for (const { meta } of SECRET_RULES) {
    const cases = CASES[meta.id];
    if (!cases) continue;
    describe(`${meta.id} ${meta.title}`, () => {
      for (const p of cases.positives) {
        it(`finds: ${p.name}`, () => {
          const findings = run(p.text);
          assert.deepEqual(findings.map((f) => f.id), [meta.id], 'exactly one finding, of this rule');
          const [f] = findings;
          assert.equal(f!.location.line, p.line);
          assert.equal(f!.severity, p.severity ?? meta.severity);
          assert.equal(f!.title, meta.title);
          assert.ok(f!.description?.includes(maskSecret(p.secret)), `the masked secret in "${f!.description}"`);
          assertMasked(findings, p.secret);
        });
      }
      for (const n of cases.negatives) {
        it(`ignores: ${n.name}`, () => {
          assert.deepEqual(run(n.text).map((f) => `${f.id} line ${f.location.line}`), []);
        });
      }
    });
  }
});
