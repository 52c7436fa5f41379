/**
 * Core metadata of an installed distribution (PEP 241/314/345/566/643): RFC 822 email headers
 * ("Field: value", continuation lines indented, repeatable fields such as Classifier), a blank line,
 * then the description body. Used by dist-info/METADATA, egg-info/PKG-INFO and single-file .egg-info.
 */
export interface CoreMetadata {
  name: string;
  version: string;
  /** Every header, lower-cased field name -> its values in order (continuation lines joined by "\n"). */
  fields: Map<string, string[]>;
}

export class MetadataError extends Error {}

/**
 * Parses the header section like Python's email parser: it stops at the first blank line, or at the
 * first line that is neither a header nor a continuation (what a truncated file leaves). Throws a
 * MetadataError when the content is not text, or when Name or Version is missing.
 */
export function parseCoreMetadata(content: Buffer): CoreMetadata {
  if (content.includes(0)) throw new MetadataError('binary content (NUL bytes), not a metadata file');
  const text = content.toString('utf8');
  if (text.includes('\uFFFD')) throw new MetadataError('not valid UTF-8 text, not a metadata file');
  const fields = new Map<string, string[]>();
  let current: { key: string; values: string[] } | undefined;
  let stoppedAt: number | undefined;
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line === '') break;
    if (/^[ \t]/.test(line) && current) {
      const values = current.values;
      values[values.length - 1] += `\n${line.trim()}`;
      continue;
    }
    const m = /^([!-9;-~]+):[ \t]*(.*)$/.exec(line);
    if (!m) {
      stoppedAt = i + 1;
      break;
    }
    const key = m[1]!.toLowerCase();
    let values = fields.get(key);
    if (!values) fields.set(key, (values = []));
    values.push(m[2]!.trimEnd());
    current = { key, values };
  }
  const name = fields.get('name')?.[0]?.trim();
  const version = fields.get('version')?.[0]?.trim();
  const where = stoppedAt === undefined ? '' : ` (headers end at line ${stoppedAt}, which is not a header: truncated?)`;
  if (!name) throw new MetadataError(`no Name field${where}`);
  if (!version) throw new MetadataError(`no Version field${where}`);
  return { name, version, fields };
}

/** Licences the metadata declares: License-Expression (PEP 639), else a short License field, else classifiers. */
export function metadataLicenses(meta: CoreMetadata): string[] {
  const expression = meta.fields.get('license-expression')?.[0]?.trim();
  if (expression) return [expression];
  const license = meta.fields.get('license')?.[0]?.trim();
  // Some projects paste the whole licence text into License; that is no licence name.
  if (license && !/^(unknown|none|)$/i.test(license) && !license.includes('\n') && license.length <= 100) return [license];
  const fromClassifiers = (meta.fields.get('classifier') ?? []).flatMap((c) => {
    const parts = c.split('::').map((p) => p.trim());
    if (parts[0] !== 'License' || parts.length < 2) return [];
    const last = parts[parts.length - 1]!;
    // "License :: OSI Approved" alone names no licence.
    return last === 'OSI Approved' ? [] : [CLASSIFIER_SPDX[last] ?? last];
  });
  return [...new Set(fromClassifiers)];
}

/** Trove licence classifiers that name exactly one SPDX licence. */
const CLASSIFIER_SPDX: Readonly<Record<string, string>> = {
  'MIT License': 'MIT',
  'MIT No Attribution License (MIT-0)': 'MIT-0',
  'Apache Software License 2.0': 'Apache-2.0',
  'BSD Zero-Clause License (0BSD)': '0BSD',
  'ISC License (ISCL)': 'ISC',
  'Python Software Foundation License': 'PSF-2.0',
  'Mozilla Public License 2.0 (MPL 2.0)': 'MPL-2.0',
  'Mozilla Public License 1.1 (MPL 1.1)': 'MPL-1.1',
  'GNU General Public License v2 (GPLv2)': 'GPL-2.0-only',
  'GNU General Public License v2 or later (GPLv2+)': 'GPL-2.0-or-later',
  'GNU General Public License v3 (GPLv3)': 'GPL-3.0-only',
  'GNU General Public License v3 or later (GPLv3+)': 'GPL-3.0-or-later',
  'GNU Lesser General Public License v2 (LGPLv2)': 'LGPL-2.0-only',
  'GNU Lesser General Public License v2 or later (LGPLv2+)': 'LGPL-2.0-or-later',
  'GNU Lesser General Public License v3 (LGPLv3)': 'LGPL-3.0-only',
  'GNU Lesser General Public License v3 or later (LGPLv3+)': 'LGPL-3.0-or-later',
  'GNU Affero General Public License v3': 'AGPL-3.0-only',
  'GNU Affero General Public License v3 or later (AGPLv3+)': 'AGPL-3.0-or-later',
  'The Unlicense (Unlicense)': 'Unlicense',
  'Boost Software License 1.0 (BSL-1.0)': 'BSL-1.0',
  'Eclipse Public License 2.0 (EPL-2.0)': 'EPL-2.0',
  'zlib/libpng License': 'Zlib',
  'Historical Permission Notice and Disclaimer (HPND)': 'HPND',
  'Universal Permissive License (UPL)': 'UPL-1.0',
};
