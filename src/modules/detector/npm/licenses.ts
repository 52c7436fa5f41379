/**
 * Licenses as package.json declares them: `license: "MIT"` or an SPDX expression (kept whole),
 * the legacy object `license: {type: "MIT"}`, or the legacy array `licenses: [{type: "MIT"}, "BSD"]`.
 */
export function declaredLicenses(license: unknown, licenses: unknown): string[] {
  const out: string[] = [];
  const add = (value: unknown): void => {
    if (typeof value === 'string') {
      if (value.trim() !== '') out.push(value.trim());
    } else if (Array.isArray(value)) {
      value.forEach(add);
    } else if (value && typeof value === 'object') {
      const type = (value as { type?: unknown }).type;
      if (typeof type === 'string' && type.trim() !== '') out.push(type.trim());
    }
  };
  add(license);
  if (out.length === 0) add(licenses);
  return [...new Set(out)];
}
