import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import { CIS_KUBERNETES, K8S_DOCS, KUBESCAPE_CONTROLS, containersOf, defineMeta, describeContainer, records, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-011',
  title: 'Secret written as a literal environment value',
  severity: 'HIGH',
  rationale:
    'A credential in a manifest\'s env value is in version control, in every rendered chart, in the object readable by anyone with get on the workload, and in kubectl describe output; a Secret reference keeps it out of all of them and can be rotated.',
  remediation: 'Move the value into a Secret (or an external secret store) and reference it with env[].valueFrom.secretKeyRef, or mount it as a file; rotate the exposed credential.',
  references: [`${K8S_DOCS}concepts/configuration/secret/#using-secrets-as-environment-variables`, CIS_KUBERNETES, KUBESCAPE_CONTROLS],
  aliases: ['C-0012'],
});

const SECRET_NAME = /(PASSWORD|PASSWD|PASSPHRASE|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CLIENT_?KEY|CREDENTIALS?|AUTH|DSN|CONN(ECTION)?_?STRING)/i;
/** Names that carry where a secret is, not the secret itself. */
const NOT_A_SECRET = /(_FILE|_PATH|_DIR|_URL_?PATH|_NAME|_REF|_KEY_?ID|_TTL|_TIMEOUT|_EXPIRY|_ENABLED|_HEADER)$/i;

/** Whether an env name looks like it carries a secret and the literal value looks like one (not empty, not a $(VAR) reference). */
export function looksLikeLiteralSecret(name: string, value: unknown): boolean {
  if (!SECRET_NAME.test(name) || NOT_A_SECRET.test(name)) return false;
  if (typeof value !== 'string' && typeof value !== 'number') return false;
  const text = String(value).trim();
  if (text === '' || /^\$\([A-Za-z_][A-Za-z0-9_]*\)$/.test(text)) return false;
  if (/^(true|false|yes|no|on|off|none|null|changeme|<[^>]*>|\$\{[^}]*\})$/i.test(text)) return false;
  return true;
}

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of containersOf(t, ['containers', 'initContainers', 'ephemeralContainers'])) {
        records(c.container.env).forEach((e, i) => {
          const name = typeof e.name === 'string' ? e.name : '';
          if (e.valueFrom !== undefined || !looksLikeLiteralSecret(name, e.value)) return;
          // The value itself is never put in the finding.
          out.push(ctx.finding(meta, t.object, [...c.path, 'env', i, 'value'], `${describeContainer(c)} sets ${name} to a literal value instead of a secretKeyRef`, `${c.name}/${name}`));
        });
      }
    }
    return out;
  },
};
