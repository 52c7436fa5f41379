import { compareFindings, type Finding } from '../../../../core/finding.js';
import { podTemplates } from '../../../../k8s/pod-templates.js';
import type { K8sObject } from '../../../../k8s/types.js';
import type { RuleMeta, RulePack } from '../../types.js';
import { makeK8sContext } from '../workload/support.js';
import { podView, type FieldPath, type PssControl, type PssLevel } from './control.js';
import { control as allowPrivilegeEscalation } from './controls/allow-privilege-escalation.js';
import { control as appArmorProfile } from './controls/apparmor-profile.js';
import { control as capabilitiesBaseline } from './controls/capabilities-baseline.js';
import { control as capabilitiesRestricted } from './controls/capabilities-restricted.js';
import { control as hostNamespaces } from './controls/host-namespaces.js';
import { control as hostPathVolumes } from './controls/host-path-volumes.js';
import { control as hostPorts } from './controls/host-ports.js';
import { control as hostProbesAndHostLifecycle } from './controls/host-probes-and-host-lifecycle.js';
import { control as privileged } from './controls/privileged.js';
import { control as procMountRestricted } from './controls/proc-mount-restricted.js';
import { control as procMount } from './controls/proc-mount.js';
import { control as restrictedVolumes } from './controls/restricted-volumes.js';
import { control as runAsNonRoot } from './controls/run-as-non-root.js';
import { control as runAsUser } from './controls/run-as-user.js';
import { control as seccompProfileBaseline } from './controls/seccomp-profile-baseline.js';
import { control as seccompProfileRestricted } from './controls/seccomp-profile-restricted.js';
import { control as seLinuxOptions } from './controls/selinux-options.js';
import { control as sysctls } from './controls/sysctls.js';
import { control as windowsHostProcess } from './controls/windows-host-process.js';

export type { PssControl, PssLevel } from './control.js';

/** Every Pod Security Standards control, baseline then restricted, in id order. */
export const PSS_RULES: readonly PssControl[] = [
  hostNamespaces,
  privileged,
  capabilitiesBaseline,
  hostPathVolumes,
  hostPorts,
  appArmorProfile,
  seLinuxOptions,
  procMount,
  seccompProfileBaseline,
  sysctls,
  windowsHostProcess,
  hostProbesAndHostLifecycle,
  restrictedVolumes,
  allowPrivilegeEscalation,
  runAsNonRoot,
  runAsUser,
  seccompProfileRestricted,
  capabilitiesRestricted,
  procMountRestricted,
];

/** The controls Pod Security Admission evaluates at one level: restricted is baseline minus the controls it overrides, plus its own. */
export function pssControlsFor(level: PssLevel): PssControl[] {
  if (level === 'baseline') return PSS_RULES.filter((c) => c.level === 'baseline');
  const overridden = new Set(PSS_RULES.flatMap((c) => c.overrides ?? []));
  return PSS_RULES.filter((c) => c.level === 'restricted' || !overridden.has(c.control));
}

export function pssRules(): RuleMeta[] {
  return PSS_RULES.map((c) => c.meta);
}

export const pssPack: RulePack = { id: 'pss', rules: pssRules };

/** Runs every PSS control (both levels) over every pod template; findings in report order. */
export function checkPodSecurity(objects: readonly K8sObject[], target: string): Finding[] {
  const ctx = makeK8sContext(target);
  const out: Finding[] = [];
  for (const ref of podTemplates(objects)) {
    const pod = podView(ref.spec, ref.metadata);
    const metadataPath: FieldPath = [...ref.specPath.slice(0, -1), 'metadata'];
    const owner = `${ref.object.kind} ${ref.object.namespace ? `${ref.object.namespace}/` : ''}${ref.object.name}`;
    for (const c of PSS_RULES) {
      for (const v of c.check(pod)) {
        const path = [...(v.in === 'spec' ? ref.specPath : metadataPath), ...v.path];
        out.push(ctx.finding(c.meta, ref.object, path, `${owner}: ${v.message}`));
      }
    }
  }
  return out.sort(compareFindings);
}
