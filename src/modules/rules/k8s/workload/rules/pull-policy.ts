import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import { CHECKOV_K8S, K8S_DOCS, KUBESCAPE_CONTROLS, containersOf, defineMeta, describeContainer, imageParts, isDigestPinned, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-005',
  title: 'Mutable image tag pulled without imagePullPolicy Always',
  severity: 'LOW',
  rationale:
    'With IfNotPresent (the default for any tag but latest) a node keeps running whatever it pulled first under that tag: nodes drift apart after the tag moves, and a pod can start from a cached image its service account could not pull.',
  remediation: 'Pin the image by digest, or set imagePullPolicy: Always for images referenced by a mutable tag.',
  references: [`${K8S_DOCS}concepts/containers/images/#image-pull-policy`, CHECKOV_K8S, KUBESCAPE_CONTROLS],
  aliases: ['C-0075', 'CKV_K8S_15'],
});

/** The policy the API server fills in when the manifest leaves it out. */
export function effectivePullPolicy(image: string, policy: unknown): string {
  if (typeof policy === 'string' && policy !== '') return policy;
  const { tag, digest } = imageParts(image);
  return !digest && (tag === undefined || tag === 'latest') ? 'Always' : 'IfNotPresent';
}

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of containersOf(t)) {
        const image = c.container.image;
        if (typeof image !== 'string' || image.trim() === '' || isDigestPinned(image)) continue;
        const policy = effectivePullPolicy(image, c.container.imagePullPolicy);
        if (policy === 'Always') continue;
        const explicit = c.container.imagePullPolicy !== undefined;
        out.push(
          ctx.finding(
            meta,
            t.object,
            [...c.path, explicit ? 'imagePullPolicy' : 'image'],
            `${describeContainer(c)} image ${image} is a mutable tag pulled with imagePullPolicy ${policy}${explicit ? '' : ' (the default)'}`,
            c.name,
          ),
        );
      }
    }
    return out;
  },
};
