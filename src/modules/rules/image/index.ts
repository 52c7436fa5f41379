import { compareFindings, type Finding } from '../../../core/finding.js';
import type { RuleMeta, RulePack } from '../types.js';
import { IMAGE_RULES } from './api.js';
import { makeContext } from './context.js';
import { renderRulesMarkdown } from './docs.js';
import type { ImageRuleInput, ImageRuleOptions } from './types.js';

export type { ImageCheckContext, ImageFindingPlace, ImageRule, ImageRuleInput, ImageRuleOptions, RemovableTool } from './types.js';
export { IMAGE_RULES } from './api.js';
export { imageWants } from './wants.js';
export { imageRuleInputFrom, type ImageRuleInputParts } from './input.js';
export { removableTools } from './tools.js';

/** The pack's rules' metadata, in id order. */
export function imageRules(): RuleMeta[] {
  return IMAGE_RULES.map((r) => r.meta);
}

export const imagePack: RulePack = { id: 'image', rules: imageRules };

/** Runs every image rule; findings in report order (severity, id, place), deterministic across runs. */
export function checkImage(input: ImageRuleInput, options: ImageRuleOptions): Finding[] {
  const ctx = makeContext(input, options);
  return IMAGE_RULES.flatMap((rule) => rule.check(input, ctx)).sort(compareFindings);
}

/** docs/rules/image.md. */
export function renderImageRulesMarkdown(): string {
  return renderRulesMarkdown(imageRules());
}
