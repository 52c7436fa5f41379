import { readAccounts } from '../accounts.js';
import { CIS_DOCKER, DOCKLE, HADOLINT_WIKI, defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-001',
  title: 'Image runs as root',
  severity: 'HIGH',
  rationale:
    'A container runs as the image\'s USER; without one, or with root or any account whose UID is 0, a compromise of the process is a root compromise inside the container, one kernel or runtime flaw away from the host.',
  remediation:
    'Create an unprivileged user (non-zero UID) and end the Dockerfile with `USER <name or uid>`; give it only the files it must write.',
  references: ['https://docs.docker.com/reference/dockerfile/#user', `${HADOLINT_WIKI}DL3002`, CIS_DOCKER, DOCKLE],
  aliases: ['CIS-DI-0001', 'CIS-DOCKER-4.1', 'DL3002'],
});

/** Why the configured user is root, or null when it is not (or cannot be told). */
export function rootReason(user: string, uidOf: (name: string) => number | undefined): string | null {
  const spec = user.trim();
  if (spec === '') return 'No USER is set, so the container runs as root';
  const name = spec.split(':')[0]!.trim();
  if (/^\d+$/.test(name)) return Number(name) === 0 ? `USER ${spec} is UID 0 (root)` : null;
  if (name === 'root') return `USER ${spec} is root`;
  if (name === '') return null;
  return uidOf(name) === 0 ? `USER ${spec} names an account whose UID is 0 in /etc/passwd: it is root` : null;
}

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const passwd = readAccounts(input.fs, '/etc/passwd');
    const reason = rootReason(input.config.config?.User ?? '', (name) => passwd?.find((a) => a.name === name)?.id);
    return reason ? [ctx.finding(meta, { resource: 'config.User' }, reason)] : [];
  },
};
