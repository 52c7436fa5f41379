import type { Notice, OsInfo, Package } from '../core/package.js';
import type { ContentOptions, NamedInspector } from '../image/content-sink.js';
import type { LayeredView } from '../image/view.js';
import { detectors as registered } from '../modules/detector/api.js';
import { layerRef } from '../modules/detector/layer-attribution.js';
import type { DetectorModule, ScanTarget } from '../modules/detector/types.js';
import { linkToOsPackages } from './link-os-packages.js';

/** What the walk must collect for these detectors: captured files and streamed inspections. */
export function contentOptionsFor(detectors: DetectorModule[]): Pick<ContentOptions, 'wants' | 'inspectors'> {
  const inspecting = detectors.filter((d) => d.inspect);
  return {
    wants: (path) => detectors.some((d) => d.wants(path)),
    inspectors: (path, info) => {
      const found: NamedInspector[] = [];
      for (const d of inspecting) {
        const run = d.inspect!(path, info);
        if (run) found.push({ id: d.id, run });
      }
      return found;
    },
  };
}

export function allDetectors(): DetectorModule[] {
  return [...registered.values()];
}

export interface DetectionResult {
  os?: OsInfo;
  packages: Package[];
  notices: Notice[];
}

/** OS first, then OS packages, then language packages, which are linked to the OS packages owning them. */
export async function runDetectors(view: LayeredView, target: ScanTarget, detectors: DetectorModule[]): Promise<DetectionResult> {
  const notices: Notice[] = [...view.notices];
  const of = (kind: DetectorModule['kind']) => detectors.filter((d) => d.kind === kind);
  let os: OsInfo | undefined;
  for (const detector of of('os')) {
    const result = await detector.detect({ fs: view, target, inspections: view.inspections(detector.id) });
    os ??= result.os;
    notices.push(...(result.notices ?? []));
  }
  const osPackages: Package[] = [];
  const languagePackages: Package[] = [];
  for (const detector of [...of('os-packages'), ...of('language')]) {
    const result = await detector.detect({ fs: view, target, os, inspections: view.inspections(detector.id) });
    (detector.kind === 'language' ? languagePackages : osPackages).push(...(result.packages ?? []));
    notices.push(...(result.notices ?? []));
  }
  for (const pkg of languagePackages) {
    if (pkg.layer) continue;
    const layer = view.stat(pkg.location.split('!/')[0]!)?.layer;
    if (layer !== undefined) pkg.layer = layerRef(view, layer);
  }
  linkToOsPackages(view, languagePackages, osPackages);
  return { ...(os ? { os } : {}), packages: [...osPackages, ...languagePackages], notices };
}
