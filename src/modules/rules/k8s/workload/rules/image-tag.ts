import type { Finding } from '../../../../../core/finding.js';
import { podTemplates } from '../../../../../k8s/pod-templates.js';
import { CHECKOV_K8S, K8S_DOCS, containersOf, defineMeta, describeContainer, imageParts, type K8sRule } from '../support.js';

export const meta = defineMeta({
  id: 'BW-K8S-003',
  title: 'Container image uses the latest tag or no tag',
  severity: 'MEDIUM',
  rationale:
    'An image without a tag means :latest, and :latest moves: two nodes can run different code for one Deployment, a rollback goes nowhere, and what was scanned is not what runs.',
  remediation: 'Name a fixed version tag (better: a digest, image@sha256:...) for every container image.',
  references: [`${K8S_DOCS}concepts/containers/images/#image-names`, `${K8S_DOCS}concepts/configuration/overview/#container-images`, CHECKOV_K8S],
  aliases: ['CKV_K8S_14'],
});

export const rule: K8sRule = {
  meta,
  check(objects, ctx) {
    const out: Finding[] = [];
    for (const t of podTemplates(objects)) {
      for (const c of containersOf(t, ['containers', 'initContainers', 'ephemeralContainers'])) {
        const image = c.container.image;
        if (typeof image !== 'string' || image.trim() === '') {
          out.push(ctx.finding(meta, t.object, c.path, `${describeContainer(c)} names no image`, c.name));
          continue;
        }
        const { tag, digest } = imageParts(image);
        if (digest) continue;
        if (tag === undefined) out.push(ctx.finding(meta, t.object, [...c.path, 'image'], `${describeContainer(c)} image ${image} has no tag (means :latest)`, c.name));
        else if (tag === 'latest') out.push(ctx.finding(meta, t.object, [...c.path, 'image'], `${describeContainer(c)} image ${image} uses the mutable :latest tag`, c.name));
      }
    }
    return out;
  },
};
