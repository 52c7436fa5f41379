import { z } from 'zod';

/** A text element as fast-xml-parser yields it (values kept as strings); anything else is absent. */
const text = z.preprocess((v) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : undefined), z.string().optional());

/** One element or several: fast-xml-parser gives an object for one, an array for more. */
const many = <T extends z.ZodTypeAny>(item: T) =>
  z.preprocess((v) => (v === undefined || v === '' ? [] : Array.isArray(v) ? v : [v]), z.array(z.union([item, z.unknown().transform(() => undefined)])));

export const pomDependencySchema = z.object({
  groupId: text,
  artifactId: text,
  version: text,
  scope: text,
  optional: text,
  type: text,
  classifier: text,
});
export type PomDependency = z.infer<typeof pomDependencySchema>;

const dependencies = z.preprocess(
  (v) => (v && typeof v === 'object' ? v : {}),
  z.object({ dependency: many(pomDependencySchema) }),
);

export const pomProjectSchema = z.object({
  groupId: text,
  artifactId: text,
  version: text,
  parent: z.preprocess((v) => (v && typeof v === 'object' ? v : {}), z.object({ groupId: text, artifactId: text, version: text })),
  properties: z.preprocess((v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {}), z.record(z.unknown())),
  dependencies,
  dependencyManagement: z.preprocess((v) => (v && typeof v === 'object' ? v : {}), z.object({ dependencies })),
});
export type PomProject = z.infer<typeof pomProjectSchema>;
