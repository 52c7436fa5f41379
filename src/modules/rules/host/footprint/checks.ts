/** Bulwark's own host checks (F.n): the host's footprint (listeners, packages) and access (accounts, SSH, sudo). */
import { parseOsRelease } from '../../../detector/os-release/parse.js';
import type { HostCheck, HostView } from '../../../../host/types.js';
import { defineCheck, readText, result, CIS_REFERENCE } from '../section1/define.js';
import { readPasswd, readShadow } from './accounts.js';
import { hostPackages } from './packages.js';
import { describeSocket, isWildcard, listeningSockets, type SocketTable } from './sockets.js';
import { readSshdConfig, sshdValue } from './sshd.js';
import { passwordlessSudo } from './sudoers.js';

const NIST_190 = 'https://csrc.nist.gov/publications/detail/sp/800-190/final';
const HOST_GUIDE = 'https://docs.docker.com/engine/security/';

const socketCache = new WeakMap<HostView, Promise<SocketTable>>();
function socketsOf(view: HostView): Promise<SocketTable> {
  let p = socketCache.get(view);
  if (!p) socketCache.set(view, (p = listeningSockets(view)));
  return p;
}

/** Processes that forward ports published by containers (docker-proxy, the userland proxy). */
const CONTAINER_PROXIES = new Set(['docker-proxy']);

export const listeningCheck = defineCheck(
  {
    id: 'F.1',
    title: 'Listening sockets and the processes behind them',
    assessment: 'Automated',
    severity: 'LOW',
    rationale: 'Every listening socket is a way into the host. A container host should run the daemon and little else; this list is what to review.',
    remediation: 'Stop and disable services the host does not need; bind the rest to the interfaces they serve.',
    references: [NIST_190, HOST_GUIDE],
    needsEngine: false,
  },
  async (view) => {
    const { sockets, tables } = await socketsOf(view);
    if (tables.length === 0) return result('INFO', '/proc/net cannot be read under the root: no socket table');
    const net = sockets.filter((s) => s.protocol !== 'unix').length;
    return result('INFO', `${net} TCP/UDP listening socket(s), ${sockets.length - net} listening unix socket(s) (${tables.join(', ')})`, sockets.map(describeSocket));
  },
);

export const wildcardCheck = defineCheck(
  {
    id: 'F.2',
    title: 'Services listening on all interfaces',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale:
      'A service bound to 0.0.0.0 or :: answers on every interface, including ones facing networks it was never meant for. Ports published by containers (docker-proxy) are left to the container checks of section 5; the Docker daemon itself listening on TCP is not.',
    remediation: 'Bind each service to the address it serves (ListenAddress, bind, --listen), or firewall the port; stop services that need no network.',
    references: [NIST_190, HOST_GUIDE],
    needsEngine: false,
  },
  async (view) => {
    const { sockets, tables } = await socketsOf(view);
    if (tables.length === 0) return result('INFO', '/proc/net cannot be read under the root: no socket table');
    const wide = sockets.filter((s) => s.protocol !== 'unix' && isWildcard(s.address));
    const proxied = wide.filter((s) => s.owners.length > 0 && s.owners.every((o) => CONTAINER_PROXIES.has(o.name)));
    const exposed = wide.filter((s) => !proxied.includes(s));
    const note = proxied.length > 0 ? `; ${proxied.length} container port(s) published through docker-proxy not counted` : '';
    if (exposed.length === 0) return result('PASS', `no service listens on all interfaces${note}`);
    return result('WARN', `${exposed.length} socket(s) listen on all interfaces${note}`, exposed.map(describeSocket));
  },
);

/** Packages a container host does not need, by name: [pattern, why]. Matched against OS package names. */
export const UNNEEDED_PACKAGES: ReadonlyArray<readonly [RegExp, string]> = [
  [/^(gcc|g\+\+|gcc-c\+\+|clang|tcc|gfortran)(-\d+(\.\d+)?)?$/, 'compiler'],
  [/^(build-essential|build-base)$/, 'compiler toolchain'],
  [/^(telnetd|telnetd-ssl|inetutils-telnetd|telnet-server|busybox-extras)$/, 'telnet server (cleartext logins)'],
  [/^(rsh-server|rsh-redone-server|rsh-client|rsh-redone-client|rlogin|rexec)$/, 'rsh/rlogin (cleartext, host-based trust)'],
  [/^(vsftpd|proftpd|proftpd-basic|proftpd-core|pure-ftpd|ftpd|inetutils-ftpd|ftpd-ssl)$/, 'FTP server (cleartext logins)'],
  [/^(tftpd|tftpd-hpa|atftpd|tftp-server|tftp-hpa-server)$/, 'TFTP server (no authentication)'],
  [/^(nis|ypserv|ypbind|ypbind-mt|yp-tools)$/, 'NIS (cleartext account maps)'],
  [/^(xinetd|openbsd-inetd|inetutils-inetd|rinetd)$/, 'inetd super-server'],
  [/^(talkd|inetutils-talkd|rwhod|finger-server|fingerd)$/, 'legacy network service'],
];

export const packagesCheck = defineCheck(
  {
    id: 'F.3',
    title: 'Packages a container host does not need',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale:
      'Compilers let an intruder build tools on the host; telnet, rsh, FTP, TFTP and NIS send credentials in clear text or need none. A container host builds and serves nothing itself: its workloads run in containers.',
    remediation: 'Remove the packages listed (apt-get purge / dnf remove / apk del); build software in containers or CI, not on the host.',
    references: [NIST_190, CIS_REFERENCE],
    needsEngine: false,
  },
  async (view) => {
    const { packages, databases } = await hostPackages(view);
    if (databases.length === 0) return result('INFO', 'no dpkg, rpm or apk package database under the root');
    const items: string[] = [];
    for (const p of packages) {
      const hit = UNNEEDED_PACKAGES.find(([re]) => re.test(p.name));
      if (hit) items.push(`${p.name} ${p.version} (${hit[1]})`);
    }
    const uniq = [...new Set(items)].sort();
    if (uniq.length === 0) return result('PASS', `none of ${packages.length} packages is a compiler or a legacy network service (${databases.join(', ')})`);
    return result('WARN', `${uniq.length} package(s) a container host does not need`, uniq);
  },
);

export const sshCheck = defineCheck(
  {
    id: 'F.4',
    title: 'SSH daemon allows password or root logins',
    assessment: 'Automated',
    severity: 'HIGH',
    rationale:
      'Password logins over SSH can be guessed from any network the daemon answers on, and a root login skips the audit trail of a personal account. On a container host a root shell is every container.',
    remediation:
      'In /etc/ssh/sshd_config (or a file in sshd_config.d read before it): "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PermitEmptyPasswords no" and "PermitRootLogin no" (or "prohibit-password"); reload sshd.',
    references: ['https://man.openbsd.org/sshd_config', NIST_190],
    needsEngine: false,
  },
  async (view) => {
    const config = await readSshdConfig(view);
    if (!config) return result('PASS', 'no SSH daemon configuration (/etc/ssh/sshd_config)');
    const items: string[] = [];
    const where = (s: { at: string; isDefault: boolean }) => (s.isDefault ? 'OpenSSH default' : s.at);
    const password = sshdValue(config, 'PasswordAuthentication', 'yes');
    if (password.value === 'yes') items.push(`PasswordAuthentication yes (${where(password)})`);
    const kbd = config.settings.has('kbdinteractiveauthentication')
      ? sshdValue(config, 'KbdInteractiveAuthentication', 'yes')
      : sshdValue(config, 'ChallengeResponseAuthentication', 'yes');
    const pam = sshdValue(config, 'UsePAM', 'no');
    // Keyboard-interactive logins ask PAM, which asks for the password.
    if (kbd.value === 'yes' && pam.value === 'yes') items.push(`keyboard-interactive authentication through PAM (${where(kbd)}, UsePAM ${where(pam)})`);
    const empty = sshdValue(config, 'PermitEmptyPasswords', 'no');
    if (empty.value === 'yes') items.push(`PermitEmptyPasswords yes (${where(empty)})`);
    const root = sshdValue(config, 'PermitRootLogin', 'prohibit-password');
    if (root.value === 'yes') items.push(`PermitRootLogin yes (${where(root)})`);
    const read = config.files.join(', ');
    if (items.length === 0) return result('PASS', `password and root password logins are off (${read})`);
    return result('WARN', `sshd allows: ${items.join('; ')}`, items);
  },
);

export const uidZeroCheck = defineCheck(
  {
    id: 'F.5',
    title: 'Accounts with UID 0 other than root',
    assessment: 'Automated',
    severity: 'HIGH',
    rationale: 'Any account with UID 0 is root under another name: a second root password to guess and a way to hide root activity.',
    remediation: 'Give the account its own UID (usermod -u) or remove it (userdel); use sudo for administration.',
    references: [NIST_190],
    needsEngine: false,
  },
  async (view) => {
    const passwd = await readPasswd(view);
    if (!passwd) return result('INFO', '/etc/passwd cannot be read');
    const extra = passwd.filter((p) => p.uid === 0 && p.name !== 'root');
    if (extra.length === 0) return result('PASS', 'root is the only account with UID 0');
    return result('WARN', `${extra.length} account(s) besides root have UID 0`, extra.map((p) => `${p.name} (uid 0, /etc/passwd:${p.line})`));
  },
);

export const emptyPasswordCheck = defineCheck(
  {
    id: 'F.6',
    title: 'Accounts with an empty password',
    assessment: 'Automated',
    severity: 'CRITICAL',
    rationale: 'An account with an empty password field logs in without a password wherever password logins are allowed (console, su, services using PAM).',
    remediation: 'Lock the account ("passwd -l NAME") or set a password; remove accounts nobody uses.',
    references: [NIST_190],
    needsEngine: false,
  },
  async (view) => {
    const [shadow, passwdText] = await Promise.all([readShadow(view), readText(view, '/etc/passwd')]);
    const items: string[] = [];
    // A passwd entry with an empty second field (no "x" pointing at shadow) has no password at all.
    passwdText?.split('\n').forEach((l, i) => {
      const f = l.split(':');
      if (f.length >= 7 && !l.startsWith('#') && f[1] === '') items.push(`${f[0]} (/etc/passwd:${i + 1})`);
    });
    for (const s of shadow ?? []) if (s.hash === '') items.push(`${s.name} (/etc/shadow:${s.line})`);
    if (!shadow && !passwdText) return result('INFO', '/etc/passwd and /etc/shadow cannot be read');
    if (items.length === 0) return result('PASS', shadow ? 'no account has an empty password' : 'no empty password in /etc/passwd; /etc/shadow cannot be read');
    return result('WARN', `${items.length} account(s) with an empty password`, items);
  },
);

export const sudoCheck = defineCheck(
  {
    id: 'F.7',
    title: 'Passwordless sudo',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale: 'NOPASSWD lets anyone who gets a shell as that user become root without knowing a password: a stolen SSH key or a compromised service account is then root on the host.',
    remediation: 'Remove NOPASSWD (and "Defaults !authenticate") from /etc/sudoers and /etc/sudoers.d, with visudo; keep exceptions to single commands that cannot be abused.',
    references: ['https://www.sudo.ws/docs/man/sudoers.man/', NIST_190],
    needsEngine: false,
  },
  async (view) => {
    const found = await passwordlessSudo(view);
    if (!found) return result('PASS', 'no /etc/sudoers');
    if (found.findings.length === 0) return result('PASS', `no NOPASSWD rule (${found.files.join(', ')})`);
    return result('WARN', `${found.findings.length} passwordless sudo rule(s)`, found.findings.map((f) => `${f.at}: ${f.rule}`));
  },
);

/** os-release IDs of distributions built to run containers and little else. */
const CONTAINER_OS = new Set(['bottlerocket', 'flatcar', 'talos', 'cos', 'rhcos', 'fedora-coreos']);

export const containerOsCheck = defineCheck(
  {
    id: 'F.8',
    title: 'Container-optimized operating system',
    assessment: 'Automated',
    severity: 'LOW',
    rationale:
      'Container-optimized systems (Bottlerocket, Flatcar, Fedora CoreOS, Talos, Container-Optimized OS) ship a read-only, minimal root with no package manager: less to patch and less for an intruder to use.',
    remediation: 'Consider a container-optimized OS for dedicated container hosts; otherwise keep the general-purpose distribution minimal (see F.3).',
    references: [NIST_190],
    needsEngine: false,
  },
  async (view) => {
    const text = (await readText(view, '/etc/os-release')) ?? (await readText(view, '/usr/lib/os-release'));
    if (text === undefined) return result('INFO', 'no os-release file: the operating system is not known');
    const f = parseOsRelease(text);
    const id = (f.ID ?? '').toLowerCase();
    const variant = (f.VARIANT_ID ?? '').toLowerCase();
    const name = f.PRETTY_NAME ?? (`${f.NAME ?? id} ${f.VERSION_ID ?? ''}`.trim() || 'unknown');
    if (CONTAINER_OS.has(id) || (id === 'fedora' && variant === 'coreos')) return result('PASS', `${name}: a container-optimized OS`);
    const { packages, databases } = await hostPackages(view);
    const count = databases.length > 0 ? `${packages.length} packages` : 'no package database found';
    return result('INFO', `${name}: a general-purpose distribution (${count})`, [name]);
  },
);

export const FOOTPRINT_CHECKS: readonly HostCheck[] = [
  listeningCheck,
  wildcardCheck,
  packagesCheck,
  sshCheck,
  uidZeroCheck,
  emptyPasswordCheck,
  sudoCheck,
  containerOsCheck,
];
