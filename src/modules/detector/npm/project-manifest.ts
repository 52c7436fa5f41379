import { parseJson } from './parse-json.js';
import { packageJsonSchema } from './schema.js';

/** A project's own package.json: which direct dependencies are prod, dev or optional. */
export interface ProjectManifest {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  optionalDependencies: Record<string, string>;
}

function strings(record: Record<string, unknown> | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(record ?? {})) if (typeof v === 'string') out[k] = v;
  return out;
}

export function parseProjectManifest(content: Buffer): ProjectManifest {
  const json = parseJson(content, packageJsonSchema);
  const optionalDependencies = strings(json.optionalDependencies);
  // npm lists optional dependencies in `dependencies` too; they are optional, not prod.
  const dependencies = strings(json.dependencies);
  for (const name of Object.keys(optionalDependencies)) delete dependencies[name];
  return { dependencies, devDependencies: strings(json.devDependencies), optionalDependencies };
}
