import { z } from 'zod';

const dateTime = z.string().refine((s) => !Number.isNaN(Date.parse(s)), 'expected an RFC 3339 date-time');

// ---- OpenVEX (https://github.com/openvex/spec), v0.2.0 and the v0.0.1 shorthand of plain strings.

const identifiers = z.object({ purl: z.string().optional() }).passthrough();

const openVexSubcomponent = z.union([
  z.string().min(1),
  z.object({ '@id': z.string().optional(), identifiers: identifiers.optional() }).passthrough(),
]);

const openVexProduct = z.union([
  z.string().min(1),
  z
    .object({
      '@id': z.string().optional(),
      identifiers: identifiers.optional(),
      subcomponents: z.array(openVexSubcomponent).optional(),
    })
    .passthrough(),
]);

const openVexVulnerability = z.union([
  z.string().min(1),
  z
    .object({ '@id': z.string().optional(), name: z.string().optional(), aliases: z.array(z.string()).optional() })
    .passthrough()
    .refine((v) => !!(v.name?.trim() || v['@id']?.trim()), 'a vulnerability needs a name or an @id'),
]);

export const OPENVEX_JUSTIFICATIONS = [
  'component_not_present',
  'vulnerable_code_not_present',
  'vulnerable_code_not_in_execute_path',
  'vulnerable_code_cannot_be_controlled_by_adversary',
  'inline_mitigations_already_exist',
] as const;

export const openVexStatementSchema = z
  .object({
    vulnerability: openVexVulnerability,
    products: z.array(openVexProduct).optional(),
    status: z.enum(['not_affected', 'affected', 'fixed', 'under_investigation']),
    justification: z.enum(OPENVEX_JUSTIFICATIONS).optional(),
    impact_statement: z.string().optional(),
    status_notes: z.string().optional(),
    timestamp: dateTime.optional(),
    last_updated: dateTime.optional(),
  })
  .passthrough()
  // The spec requires a reason for not_affected; a suppression must be able to say why.
  .refine((s) => s.status !== 'not_affected' || !!s.justification || !!s.impact_statement?.trim(), {
    message: 'a not_affected statement needs a justification or an impact_statement',
  });

export const openVexDocumentSchema = z
  .object({
    '@context': z.string().regex(/^https:\/\/openvex\.dev\/ns/, 'expected an openvex.dev context'),
    timestamp: dateTime.optional(),
    last_updated: dateTime.optional(),
    statements: z.array(openVexStatementSchema).min(1, 'an OpenVEX document needs at least one statement'),
  })
  .passthrough();

export type OpenVexStatement = z.infer<typeof openVexStatementSchema>;
export type OpenVexProduct = z.infer<typeof openVexProduct>;
export type OpenVexSubcomponent = z.infer<typeof openVexSubcomponent>;

// ---- CycloneDX VEX (https://cyclonedx.org/capabilities/vex/): a BOM whose vulnerabilities carry analysis.

export interface CdxComponent {
  'bom-ref'?: string;
  purl?: string;
  components?: CdxComponent[];
}

const cdxComponent: z.ZodType<CdxComponent> = z.lazy(() =>
  z.object({ 'bom-ref': z.string().optional(), purl: z.string().optional(), components: z.array(cdxComponent).optional() }).passthrough(),
);

export const CDX_STATES = ['resolved', 'resolved_with_pedigree', 'exploitable', 'in_triage', 'false_positive', 'not_affected'] as const;

export const cdxVulnerabilitySchema = z
  .object({
    id: z.string().min(1),
    references: z.array(z.object({ id: z.string() }).passthrough()).optional(),
    analysis: z
      .object({
        state: z.enum(CDX_STATES).optional(),
        justification: z.string().optional(),
        detail: z.string().optional(),
        firstIssued: dateTime.optional(),
        lastUpdated: dateTime.optional(),
      })
      .passthrough()
      .optional(),
    affects: z
      .array(
        z
          .object({
            ref: z.string().min(1),
            versions: z.array(z.object({ version: z.string().optional(), range: z.string().optional() }).passthrough()).optional(),
          })
          .passthrough(),
      )
      .optional(),
  })
  .passthrough();

export const cdxDocumentSchema = z
  .object({
    bomFormat: z.literal('CycloneDX'),
    specVersion: z.string(),
    metadata: z.object({ timestamp: dateTime.optional(), component: cdxComponent.optional() }).passthrough().optional(),
    components: z.array(cdxComponent).optional(),
    vulnerabilities: z.array(cdxVulnerabilitySchema).optional(),
  })
  .passthrough();

export type CdxVulnerability = z.infer<typeof cdxVulnerabilitySchema>;
