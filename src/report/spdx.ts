/**
 * SPDX 2.3 JSON, written by hand: no maintained JavaScript library writes SPDX 2.3 (the SPDX project's
 * own libraries are Java, Python and Go; npm has no @spdx/tools or spdx-tools package). The document
 * is checked against the official SPDX 2.3 JSON schema in test/report/spdx.test.ts.
 */
import type { OsInfo, Package } from '../core/package.js';
import type { ImageScanResult } from '../core/scan-result.js';
import { UniqueIds, spdxIdString, uuidV5 } from './ids.js';
import { imageIdentity } from './image-ref.js';
import { comparePackagesFully, jsonReporter } from './json.js';
import { licenseRefId, spdxExpression } from './licenses.js';
import type { Reporter } from './types.js';

/** Base of documentNamespace; the URI only has to be unique, it is never fetched. */
export const SPDX_NAMESPACE_BASE = 'https://bulwark.invalid/spdx/image';

const NOASSERTION = 'NOASSERTION';

interface ExternalRef {
  referenceCategory: 'PACKAGE-MANAGER';
  referenceType: 'purl';
  referenceLocator: string;
}

export interface SpdxPackage {
  name: string;
  SPDXID: string;
  versionInfo?: string;
  supplier: string;
  downloadLocation: string;
  filesAnalyzed: false;
  sourceInfo?: string;
  licenseConcluded: string;
  licenseDeclared: string;
  copyrightText: string;
  description?: string;
  externalRefs?: ExternalRef[];
  // The schema's enum spells it OPERATING_SYSTEM although the 2.3 spec text writes OPERATING-SYSTEM.
  primaryPackagePurpose: 'CONTAINER' | 'OPERATING_SYSTEM' | 'LIBRARY' | 'FILE';
}

export interface SpdxRelationship {
  spdxElementId: string;
  relationshipType: 'DESCRIBES' | 'CONTAINS';
  relatedSpdxElement: string;
}

export interface SpdxExtractedLicense {
  licenseId: string;
  name: string;
  extractedText: string;
}

export interface SpdxDocument {
  spdxVersion: 'SPDX-2.3';
  dataLicense: 'CC0-1.0';
  SPDXID: 'SPDXRef-DOCUMENT';
  name: string;
  documentNamespace: string;
  creationInfo: { created: string; creators: string[] };
  packages: SpdxPackage[];
  hasExtractedLicensingInfos?: SpdxExtractedLicense[];
  relationships: SpdxRelationship[];
}

/** LicenseRef ids for one document: one per distinct text, unique even when two texts sanitize alike. */
class LicenseRefs {
  readonly #byText = new Map<string, string>();
  readonly #ids = new UniqueIds();

  readonly refFor = (text: string): string => {
    let id = this.#byText.get(text);
    if (!id) {
      id = this.#ids.take(licenseRefId(text));
      this.#byText.set(text, id);
    }
    return id;
  };

  infos(): SpdxExtractedLicense[] {
    return [...this.#byText]
      .map(([text, id]) => ({ licenseId: id, name: text, extractedText: text }))
      .sort((a, b) => (a.licenseId < b.licenseId ? -1 : a.licenseId > b.licenseId ? 1 : 0));
  }
}

/** SPDX agent syntax: "Person: Name (email)" from a dpkg/apk "Name <email>". */
function agent(kind: 'Person' | 'Organization', value: string): string {
  const m = /^(.*?)\s*<([^>]*)>\s*$/.exec(value);
  return m ? `${kind}: ${m[1]} (${m[2]})` : `${kind}: ${value}`;
}

function spdxDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function purlRef(purl: string): ExternalRef[] {
  return [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }];
}

function packageSourceInfo(p: Package): string {
  const parts = [`acquired package info from ${p.type} database: ${p.location}`];
  if (p.layer) parts.push(`layer ${p.layer.index} (${p.layer.diffId})`);
  if (p.sourceName || p.sourceVersion) parts.push(`source package ${p.sourceName ?? p.name} ${p.sourceVersion ?? p.version}`);
  return parts.join('; ');
}

function spdxPackage(p: Package, id: string, refs: LicenseRefs): SpdxPackage {
  return {
    name: p.name,
    SPDXID: id,
    versionInfo: p.version,
    supplier: p.vendor ? agent('Organization', p.vendor) : p.maintainer ? agent('Person', p.maintainer) : NOASSERTION,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    sourceInfo: packageSourceInfo(p),
    licenseConcluded: NOASSERTION,
    licenseDeclared: spdxExpression(p.licenses, refs.refFor) ?? NOASSERTION,
    copyrightText: NOASSERTION,
    externalRefs: purlRef(p.purl),
    primaryPackagePurpose: 'LIBRARY',
  };
}

function osPackage(os: OsInfo, id: string): SpdxPackage {
  return {
    name: os.family,
    SPDXID: id,
    ...(os.version ? { versionInfo: os.version } : {}),
    supplier: NOASSERTION,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    sourceInfo: `identified from ${os.source}`,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    copyrightText: NOASSERTION,
    ...(os.prettyName ? { description: os.prettyName } : {}),
    primaryPackagePurpose: 'OPERATING_SYSTEM',
  };
}

export function toSpdxDocument(result: ImageScanResult): SpdxDocument {
  const a = result.artifact;
  const image = imageIdentity(a);
  const ids = new UniqueIds();
  const refs = new LicenseRefs();
  const imageId = ids.take(`SPDXRef-Image-${spdxIdString(image.shortName)}`);
  const packages: SpdxPackage[] = [
    {
      name: image.name,
      SPDXID: imageId,
      ...(image.digest ? { versionInfo: image.digest } : {}),
      supplier: NOASSERTION,
      downloadLocation: NOASSERTION,
      filesAnalyzed: false,
      sourceInfo: a.configDigest ? `image ${a.reference} (image ID ${a.configDigest})` : `directory ${a.reference}`,
      licenseConcluded: NOASSERTION,
      licenseDeclared: NOASSERTION,
      copyrightText: NOASSERTION,
      ...(image.purl ? { externalRefs: purlRef(image.purl) } : {}),
      primaryPackagePurpose: a.source === 'directory' ? 'FILE' : 'CONTAINER',
    },
  ];
  if (result.os) {
    const os = result.os;
    packages.push(osPackage(os, ids.take(`SPDXRef-OperatingSystem-${spdxIdString([os.family, os.version].filter(Boolean).join('-'))}`)));
  }
  for (const p of [...result.packages].sort(comparePackagesFully)) {
    const base = spdxIdString([p.type, p.name, p.version, p.arch].filter(Boolean).join('-'));
    packages.push(spdxPackage(p, ids.take(`SPDXRef-Package-${base}`), refs));
  }
  const extracted = refs.infos();
  const digestPart = spdxIdString(image.digest ?? 'directory');
  // Name-based: the same result always renders the same document, a new scan gets a new namespace.
  const uuid = uuidV5(`bulwark:spdx:${jsonReporter.render(result)}`);
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: 'SPDXRef-DOCUMENT',
    name: image.tag ? `${image.name}:${image.tag}` : image.name,
    documentNamespace: `${SPDX_NAMESPACE_BASE}/${spdxIdString(image.shortName)}-${digestPart}-${uuid}`,
    creationInfo: { created: spdxDate(result.createdAt), creators: [`Tool: ${result.tool.name}-${result.tool.version}`] },
    packages,
    ...(extracted.length > 0 ? { hasExtractedLicensingInfos: extracted } : {}),
    relationships: [
      { spdxElementId: 'SPDXRef-DOCUMENT', relationshipType: 'DESCRIBES', relatedSpdxElement: imageId },
      ...packages
        .slice(1)
        .map((p): SpdxRelationship => ({ spdxElementId: imageId, relationshipType: 'CONTAINS', relatedSpdxElement: p.SPDXID })),
    ],
  };
}

export const spdxReporter: Reporter = {
  id: 'spdx-json',
  render: (result) => `${JSON.stringify(toSpdxDocument(result), null, 2)}\n`,
};
