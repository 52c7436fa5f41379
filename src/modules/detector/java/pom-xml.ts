import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { Coordinates } from './manifest.js';
import { pomProjectSchema, type PomDependency, type PomProject } from './schema.js';

export interface PomDependencyFound extends Coordinates {
  groupId: string;
  scope: 'prod' | 'dev' | 'optional';
}

export interface PomResult {
  dependencies: PomDependencyFound[];
  /** Dependencies left out: no version in this file, or a property this file does not define. */
  skipped: string[];
}

const parser = new XMLParser({ ignoreAttributes: true, parseTagValue: false, processEntities: true, removeNSPrefix: true });

/**
 * Dependencies a pom.xml declares with a version it alone determines: explicit, through a simple
 * `${property}` of this file (or project.*), or from its own dependencyManagement. Parent POMs and
 * BOMs live elsewhere (Maven Central is not reachable), so what they would supply is reported skipped.
 * Throws on XML that is not a POM.
 */
export function parsePomXml(text: string): PomResult {
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new Error(`invalid XML at line ${valid.err.line}: ${valid.err.msg}`);
  const doc = parser.parse(text) as Record<string, unknown>;
  if (!doc['project'] || typeof doc['project'] !== 'object') throw new Error('no <project> element');
  const project = pomProjectSchema.parse(doc['project']);
  const resolve = resolver(project);
  const managed = new Map<string, string>();
  for (const d of present(project.dependencyManagement.dependencies.dependency)) {
    const version = d.version && resolve(d.version);
    if (d.groupId && d.artifactId && version) managed.set(`${resolve(d.groupId)}:${resolve(d.artifactId)}`, version);
  }
  const result: PomResult = { dependencies: [], skipped: [] };
  for (const d of present(project.dependencies.dependency)) {
    const groupId = d.groupId && resolve(d.groupId);
    const artifactId = d.artifactId && resolve(d.artifactId);
    if (!groupId || !artifactId || groupId.includes('${') || artifactId.includes('${')) {
      result.skipped.push(`${d.groupId ?? '?'}:${d.artifactId ?? '?'}`);
      continue;
    }
    const version = d.version ? resolve(d.version) : managed.get(`${groupId}:${artifactId}`);
    if (!version || version.includes('${') || /^[[(]/.test(version)) {
      result.skipped.push(`${groupId}:${artifactId}${d.version ? `:${d.version}` : ''}`);
      continue;
    }
    result.dependencies.push({ groupId, artifactId, version, scope: scopeOf(d) });
  }
  return result;
}

function present(list: Array<PomDependency | undefined>): PomDependency[] {
  return list.filter((d): d is PomDependency => d !== undefined);
}

function scopeOf(d: PomDependency): 'prod' | 'dev' | 'optional' {
  if (d.scope === 'test') return 'dev';
  if (d.optional === 'true') return 'optional';
  return 'prod';
}

/** `${name}` substitution from <properties> and the project's own coordinates, nested a few levels. */
function resolver(project: PomProject): (value: string) => string {
  const vars = new Map<string, string>();
  for (const [key, value] of Object.entries(project.properties)) {
    if (typeof value === 'string' || typeof value === 'number') vars.set(key, String(value).trim());
  }
  const groupId = project.groupId ?? project.parent.groupId;
  const version = project.version ?? project.parent.version;
  const builtins: Array<[string, string | undefined]> = [
    ['project.groupId', groupId], ['pom.groupId', groupId], ['groupId', groupId],
    ['project.artifactId', project.artifactId], ['pom.artifactId', project.artifactId], ['artifactId', project.artifactId],
    ['project.version', version], ['pom.version', version], ['version', version],
    ['project.parent.groupId', project.parent.groupId], ['project.parent.version', project.parent.version],
    ['project.parent.artifactId', project.parent.artifactId],
  ];
  for (const [key, value] of builtins) if (value !== undefined && !vars.has(key)) vars.set(key, value);
  return (value) => {
    let current = value;
    for (let i = 0; i < 10 && current.includes('${'); i++) {
      const next = current.replace(/\$\{([^}]+)\}/g, (whole, name: string) => vars.get(name.trim()) ?? whole);
      if (next === current) break;
      current = next;
    }
    return current;
  };
}
