import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import { CHECKOV_K8S, K8S_DOCS, containersOf, defineMeta, describeContainer, isDigestPinned, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-004',
  title: 'Container image is not pinned by digest',
  severity: 'LOW',
  rationale:
    'A tag is a name that whoever can push to the repository may point elsewhere; only a digest guarantees that the image that was reviewed and scanned is the one the kubelet pulls.',
  remediation: 'Reference images as name:tag@sha256:<digest> (tools such as crane digest or a renovate/dependabot digest pin keep it current).',
  references: [`${K8S_DOCS}concepts/containers/images/#image-names`, CHECKOV_K8S],
  aliases: ['CKV_K8S_43'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of containersOf(t, ['containers', 'initContainers', 'ephemeralContainers'])) {
        const image = c.container.image;
        if (typeof image !== 'string' || image.trim() === '' || isDigestPinned(image)) continue;
        out.push(ctx.finding(meta, t.object, [...c.path, 'image'], `${describeContainer(c)} image ${image} is not pinned by a sha256 digest`, c.name));
      }
    }
    return out;
  },
};
