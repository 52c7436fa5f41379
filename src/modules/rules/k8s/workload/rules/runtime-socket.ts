import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import { CHECKOV_K8S, K8S_DOCS, KUBESCAPE_CONTROLS, at, defineMeta, records, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-009',
  title: 'Container runtime socket mounted from the host',
  severity: 'HIGH',
  rationale:
    'The docker, containerd or CRI-O socket is the node\'s container engine: whoever can talk to it starts privileged containers with the host filesystem mounted, which is root on the node and a way around every admission control.',
  remediation:
    'Remove hostPath volumes of container runtime sockets (and of /var/run or /run as a whole); build images with rootless builders (BuildKit rootless, kaniko) and read runtime data through the Kubernetes API.',
  references: [`${K8S_DOCS}concepts/storage/volumes/#hostpath`, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0074', 'CKV_K8S_27'],
});

const SOCKETS = [
  '/var/run/docker.sock',
  '/run/docker.sock',
  '/var/run/containerd/containerd.sock',
  '/run/containerd/containerd.sock',
  '/var/run/crio/crio.sock',
  '/run/crio/crio.sock',
  '/var/run/cri-dockerd.sock',
  '/run/cri-dockerd.sock',
  '/var/run/dockershim.sock',
];

/** The socket a hostPath exposes (itself, or a directory that holds it), or undefined. */
export function runtimeSocketOf(hostPath: string): string | undefined {
  const p = hostPath.replace(/\/+/g, '/').replace(/(.)\/$/, '$1');
  if (p === '/') return 'every socket (the host root)';
  return SOCKETS.find((s) => s === p || s.startsWith(`${p}/`));
}

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const t of podTemplates(objects)) {
      records(t.spec.volumes).forEach((v, i) => {
        const path = at(v, ['hostPath', 'path']);
        if (typeof path !== 'string') return;
        const socket = runtimeSocketOf(path);
        if (!socket) return;
        const name = typeof v.name === 'string' ? v.name : `#${i}`;
        const what = socket === path ? `the runtime socket ${path}` : `${path}, which holds ${socket}`;
        out.push(ctx.finding(meta, t.object, [...t.specPath, 'volumes', i, 'hostPath', 'path'], `volume ${name} mounts ${what} from the host`, name));
      });
    }
    return out;
  },
};
