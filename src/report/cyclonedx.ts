import { Enums, Models, Serialize, SPDX, Spec } from '@cyclonedx/cyclonedx-library';
import type { OsInfo, Package } from '../core/package.js';
import type { ImageScanResult } from '../core/scan-result.js';
import { addVulnerabilities } from './cyclonedx-vulns.js';
import { UniqueIds, uuidV5 } from './ids.js';
import { imageIdentity } from './image-ref.js';
import { jsonReporter, comparePackagesFully } from './json.js';
import { parseLicense, spdxExpression } from './licenses.js';
import type { Reporter } from './types.js';

const serializer = new Serialize.JsonSerializer(new Serialize.JSON.Normalize.Factory(Spec.Spec1dot6));

function properties(entries: [string, string | number | undefined][]): Models.PropertyRepository {
  const repo = new Models.PropertyRepository();
  for (const [name, value] of entries) if (value !== undefined) repo.add(new Models.Property(name, String(value)));
  return repo;
}

/**
 * CycloneDX allows either a list of {id|name} licences or a single expression, never both. Plain
 * lists are kept while every licence is a listed SPDX id or unmappable text; one compound licence
 * (GPL-2+ or Artistic) turns the whole set into a single AND expression.
 */
function licenses(p: Package): Models.LicenseRepository {
  const repo = new Models.LicenseRepository();
  const raws = [...new Set(p.licenses.map((l) => l.trim()).filter((l) => l !== ''))];
  const nodes = raws.map(parseLicense);
  const simple = nodes.every((n) => n.kind === 'ref' || (n.kind === 'license' && SPDX.isSupportedSpdxId(n.id)));
  if (simple) {
    for (const n of nodes) {
      if (n.kind === 'license') repo.add(new Models.SpdxLicense(n.id));
      else if (n.kind === 'ref') repo.add(new Models.NamedLicense(n.raw));
    }
  } else {
    const expression = spdxExpression(raws);
    if (expression) repo.add(new Models.LicenseExpression(expression));
  }
  return repo;
}

function packageComponent(p: Package, bomRef: string): Models.Component {
  const publisher = p.vendor ?? p.maintainer;
  return new Models.Component(Enums.ComponentType.Library, p.name, {
    bomRef,
    version: p.version,
    purl: p.purl,
    ...(publisher ? { publisher } : {}),
    licenses: licenses(p),
    properties: properties([
      ['bulwark:package:type', p.type],
      ['bulwark:package:location', p.location],
      ['bulwark:package:sourceName', p.sourceName],
      ['bulwark:package:sourceVersion', p.sourceVersion],
      ['bulwark:layer:index', p.layer?.index],
      ['bulwark:layer:diffId', p.layer?.diffId],
    ]),
  });
}

function osComponent(os: OsInfo): Models.Component {
  return new Models.Component(Enums.ComponentType.OperatingSystem, os.family, {
    bomRef: `os:${os.family}${os.version ? `@${os.version}` : ''}`,
    ...(os.version ? { version: os.version } : {}),
    ...(os.prettyName ? { description: os.prettyName } : {}),
    properties: properties([
      ['bulwark:os:codename', os.codename],
      ['bulwark:os:source', os.source],
    ]),
  });
}

function imageComponent(result: ImageScanResult): Models.Component {
  const a = result.artifact;
  const id = imageIdentity(a);
  const isDirectory = a.source === 'directory';
  return new Models.Component(isDirectory ? Enums.ComponentType.File : Enums.ComponentType.Container, id.name, {
    bomRef: id.purl ?? `directory:${a.reference}`,
    ...(id.digest ? { version: id.digest } : {}),
    ...(id.purl ? { purl: id.purl } : {}),
    properties: properties([
      ['bulwark:image:reference', a.reference],
      ['bulwark:image:id', a.configDigest],
      ['bulwark:image:manifestDigest', a.manifestDigest],
      ['bulwark:image:os', a.os],
      ['bulwark:image:architecture', a.architecture],
      ['bulwark:image:variant', a.variant],
      ['bulwark:image:created', a.created],
      ['bulwark:image:layers', a.layers.length],
      ...a.repoTags.map((t): [string, string] => ['bulwark:image:tag', t]),
      ...a.repoDigests.map((d): [string, string] => ['bulwark:image:repoDigest', d]),
    ]),
  });
}

export function toCycloneDxBom(result: ImageScanResult): Models.Bom {
  const image = imageComponent(result);
  const bom = new Models.Bom({
    // Name-based: the same result always renders the same document, a new scan gets a new serial.
    serialNumber: `urn:uuid:${uuidV5(`bulwark:cyclonedx:${jsonReporter.render(result)}`)}`,
    metadata: new Models.Metadata({
      timestamp: new Date(result.createdAt),
      component: image,
      tools: new Models.Tools({
        components: new Models.ComponentRepository([
          new Models.Component(Enums.ComponentType.Application, result.tool.name, { version: result.tool.version }),
        ]),
      }),
    }),
  });
  const refs = new UniqueIds();
  refs.take(image.bomRef.value ?? '');
  const components: Models.Component[] = [];
  // The first package with a given purl and location is the one a finding about them points at.
  const byPackage = new Map<string, Models.BomRef>();
  const packageKey = (purl: string, location: string): string => `${purl}\u0000${location}`;
  if (result.os) components.push(osComponent(result.os));
  for (const p of [...result.packages].sort(comparePackagesFully)) {
    const component = packageComponent(p, refs.take(p.purl, '|'));
    components.push(component);
    if (!byPackage.has(packageKey(p.purl, p.location))) byPackage.set(packageKey(p.purl, p.location), component.bomRef);
  }
  for (const c of components) {
    bom.components.add(c);
    image.dependencies.add(c.bomRef);
  }
  addVulnerabilities(bom, result.findings, (purl, location) => byPackage.get(packageKey(purl, location)), image.bomRef, refs);
  return bom;
}

export const cyclonedxReporter: Reporter = {
  id: 'cyclonedx',
  render: (result) => `${serializer.serialize(toCycloneDxBom(result), { sortLists: true, space: 2 })}\n`,
};
