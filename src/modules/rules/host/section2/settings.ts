/** CIS 2.x checks decided by one daemon setting (command line or daemon.json). */
import {
  booleanSetting,
  daemonSetting,
  describeSource,
  listSetting,
  stringSetting,
} from '../../../../host/daemon-config.js';
import { DOCKERD_REFERENCE, defineCheck, result } from './define.js';
import { withCaveat } from './context.js';

export const check2_1 = defineCheck(
  {
    id: '2.1',
    title: 'Run the Docker daemon as a non-root user, if possible (Manual)',
    assessment: 'Manual',
    severity: 'LOW',
    rationale:
      'Rootless mode runs the daemon and containers inside a user namespace, so a daemon or container breakout does not give root on the host.',
    remediation:
      'Follow the Docker documentation on installing the daemon in rootless mode (dockerd-rootless-setuptool.sh install), mind its networking and resource-limit restrictions.',
    references: ['https://docs.docker.com/engine/security/rootless/'],
    needsEngine: false,
  },
  async (view) => {
    const rootless = view.daemon ? booleanSetting(view, 'rootless') === true : false;
    let owner = '';
    if (view.daemon) {
      const status = (await view.readFile(`/proc/${view.daemon.pid}/status`))?.toString('utf8');
      const uid = status ? /^Uid:\s+(\d+)/m.exec(status)?.[1] : undefined;
      if (uid !== undefined) owner = `dockerd (pid ${view.daemon.pid}) runs as uid ${uid}`;
    }
    const facts = [owner, rootless ? 'started with --rootless' : ''].filter((s) => s !== '').join('; ');
    return result('NOTE', `Review whether the daemon can run rootless${facts ? `: ${facts}` : ''}`);
  },
);

export const check2_2 = defineCheck(
  {
    id: '2.2',
    title: 'Ensure network traffic is restricted between containers on the default bridge (Scored)',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale:
      'By default all containers on the default bridge can talk to each other over the network; a compromised container can reach every other one.',
    remediation: 'Set "icc": false in daemon.json (or start dockerd with --icc=false); link or network containers that must talk explicitly.',
    references: [DOCKERD_REFERENCE],
    needsEngine: false,
  },
  (view) => {
    const s = daemonSetting(view, 'icc');
    if (booleanSetting(view, 'icc') === false) return result('PASS', describeSource(s, 'icc'));
    return result('WARN', withCaveat(view, s ? describeSource(s, 'icc') : 'icc not set (inter-container communication allowed)'));
  },
);

export const check2_3 = defineCheck(
  {
    id: '2.3',
    title: "Ensure the logging level is set to 'info' (Scored)",
    assessment: 'Automated',
    severity: 'LOW',
    rationale: "The 'info' level records the events worth auditing; 'debug' logs far too much and lower levels miss events.",
    remediation: 'Set "log-level": "info" in daemon.json or start dockerd with --log-level=info (and without --debug).',
    references: [DOCKERD_REFERENCE],
    needsEngine: false,
  },
  (view) => {
    const s = daemonSetting(view, 'log-level');
    const level = stringSetting(view, 'log-level');
    if (booleanSetting(view, 'debug') === true) {
      return result('WARN', `${describeSource(daemonSetting(view, 'debug'), 'debug')}: debug logging on`);
    }
    if (level === undefined || level === 'info') {
      return result('PASS', s && level ? describeSource(s, 'log-level') : 'log-level not set (defaults to info)');
    }
    return result('WARN', describeSource(s, 'log-level'));
  },
);

export const check2_4 = defineCheck(
  {
    id: '2.4',
    title: 'Ensure Docker is allowed to make changes to iptables (Scored)',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale:
      'Docker keeps the firewall rules in line with the container networking it sets up; with --iptables=false that is left to hand-made rules, which are easily wrong.',
    remediation: 'Do not run the Docker daemon with --iptables=false (or "iptables": false in daemon.json).',
    references: [DOCKERD_REFERENCE],
    needsEngine: false,
  },
  (view) => {
    const s = daemonSetting(view, 'iptables');
    if (booleanSetting(view, 'iptables') === false) return result('WARN', describeSource(s, 'iptables'));
    return result('PASS', s ? describeSource(s, 'iptables') : 'iptables not set (defaults to true)');
  },
);

export const check2_5 = defineCheck(
  {
    id: '2.5',
    title: 'Ensure insecure registries are not used (Scored)',
    assessment: 'Automated',
    severity: 'HIGH',
    rationale: 'An insecure registry is reached without TLS verification: images pulled from it can be read or replaced in transit.',
    remediation: 'Remove --insecure-registry flags and the "insecure-registries" entries; give the registries valid TLS certificates.',
    references: ['https://docs.docker.com/registry/insecure/'],
    needsEngine: false,
  },
  (view) => {
    const registries = listSetting(view, 'insecure-registry');
    if (registries.length > 0) {
      return result('WARN', `${describeSource(daemonSetting(view, 'insecure-registry'), 'insecure-registry')}`, registries);
    }
    return result('PASS', 'no insecure registries configured');
  },
);

export const check2_8 = defineCheck(
  {
    id: '2.8',
    title: 'Ensure the default ulimit is configured appropriately (Manual)',
    assessment: 'Manual',
    severity: 'LOW',
    rationale: 'Default ulimits bound what every container may consume (open files, processes) unless it sets its own.',
    remediation:
      'Start dockerd with --default-ulimit as your policy needs, e.g. dockerd --default-ulimit nproc=1024:2048 --default-ulimit nofile=100:200, or set "default-ulimits" in daemon.json.',
    references: [DOCKERD_REFERENCE],
    needsEngine: false,
  },
  (view) => {
    const limits = listSetting(view, 'default-ulimit');
    if (limits.length > 0) return result('PASS', describeSource(daemonSetting(view, 'default-ulimit'), 'default-ulimit'), limits);
    return result('INFO', withCaveat(view, "Default ulimit doesn't appear to be set"));
  },
);

export const check2_9 = defineCheck(
  {
    id: '2.9',
    title: 'Enable user namespace support (Scored)',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale: 'With user namespace remapping, root in a container is an unprivileged user on the host.',
    remediation: 'Make sure /etc/subuid and /etc/subgid exist, then start dockerd with --userns-remap=default (or "userns-remap" in daemon.json).',
    references: ['https://docs.docker.com/engine/security/userns-remap/'],
    needsEngine: false,
  },
  (view) => {
    const remap = stringSetting(view, 'userns-remap');
    if (remap !== undefined) return result('PASS', describeSource(daemonSetting(view, 'userns-remap'), 'userns-remap'));
    return result('WARN', withCaveat(view, 'userns-remap not set'));
  },
);

export const check2_10 = defineCheck(
  {
    id: '2.10',
    title: 'Ensure the default cgroup usage has been confirmed (Scored)',
    assessment: 'Automated',
    severity: 'LOW',
    rationale: 'Containers go under the default cgroup parent unless --cgroup-parent moves them; a changed parent must be a deliberate choice.',
    remediation: 'Keep the default setting unless a different cgroup parent is needed and confirmed.',
    references: [DOCKERD_REFERENCE],
    needsEngine: false,
  },
  (view) => {
    const parent = stringSetting(view, 'cgroup-parent');
    if (parent !== undefined) return result('WARN', `Confirm cgroup usage: ${describeSource(daemonSetting(view, 'cgroup-parent'), 'cgroup-parent')}`);
    return result('PASS', 'cgroup-parent not set (default)');
  },
);

export const check2_11 = defineCheck(
  {
    id: '2.11',
    title: 'Ensure base device size is not changed until needed (Scored)',
    assessment: 'Automated',
    severity: 'LOW',
    rationale: 'A larger base device size lets containers fill the host file system, a denial of service.',
    remediation: 'Do not set --storage-opt dm.basesize until it is needed.',
    references: [DOCKERD_REFERENCE],
    needsEngine: false,
  },
  (view) => {
    const opts = listSetting(view, 'storage-opt').filter((o) => /dm\.basesize/.test(o));
    if (opts.length > 0) return result('WARN', describeSource(daemonSetting(view, 'storage-opt'), 'storage-opt'), opts);
    return result('PASS', 'dm.basesize not set');
  },
);

export const check2_12 = defineCheck(
  {
    id: '2.12',
    title: 'Ensure that authorization for Docker client commands is enabled (Scored)',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale: 'Without an authorization plugin, anyone who reaches the Docker socket can run every command.',
    remediation: 'Install an authorization plugin, configure its policy, and start dockerd with --authorization-plugin=<PLUGIN_ID>.',
    references: ['https://docs.docker.com/engine/extend/plugins_authorization/'],
    needsEngine: false,
  },
  (view) => {
    const plugins = listSetting(view, 'authorization-plugin');
    if (plugins.length > 0) return result('PASS', describeSource(daemonSetting(view, 'authorization-plugin'), 'authorization-plugin'), plugins);
    return result('WARN', withCaveat(view, 'no authorization plugin configured'));
  },
);

export const check2_14 = defineCheck(
  {
    id: '2.14',
    title: 'Ensure containers are restricted from acquiring new privileges (Scored)',
    assessment: 'Automated',
    severity: 'MEDIUM',
    rationale: 'With no-new-privileges by default, setuid binaries and file capabilities cannot raise a container process\'s privileges.',
    remediation: 'Start dockerd with --no-new-privileges (or "no-new-privileges": true in daemon.json).',
    references: [DOCKERD_REFERENCE],
    needsEngine: false,
  },
  (view) => {
    const s = daemonSetting(view, 'no-new-privileges');
    if (booleanSetting(view, 'no-new-privileges') === true) return result('PASS', describeSource(s, 'no-new-privileges'));
    return result('WARN', withCaveat(view, s ? describeSource(s, 'no-new-privileges') : 'no-new-privileges not set'));
  },
);

export const check2_16 = defineCheck(
  {
    id: '2.16',
    title: 'Ensure Userland Proxy is Disabled (Scored)',
    assessment: 'Automated',
    severity: 'LOW',
    rationale: 'Published ports are better forwarded by hairpin NAT than by a userland proxy process per port, which widens the attack surface.',
    remediation: 'Start dockerd with --userland-proxy=false (or "userland-proxy": false in daemon.json).',
    references: [DOCKERD_REFERENCE],
    needsEngine: false,
  },
  (view) => {
    const s = daemonSetting(view, 'userland-proxy');
    if (booleanSetting(view, 'userland-proxy') === false) return result('PASS', describeSource(s, 'userland-proxy'));
    return result('WARN', withCaveat(view, s ? describeSource(s, 'userland-proxy') : 'userland-proxy not set (defaults to true)'));
  },
);
