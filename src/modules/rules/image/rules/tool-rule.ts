import type { Finding } from '../../../../core/finding.js';
import type { RuleMeta } from '../../types.js';
import { humanBytes } from '../rule.js';
import { findTools, toolName, type FoundTool } from '../tools.js';
import type { ImageRule } from '../types.js';

/** One finding per found tool of these categories; `describe` writes the message. */
export function toolRule(meta: RuleMeta, categories: readonly string[], describe: (tool: FoundTool, what: string) => string): ImageRule {
  return {
    meta,
    check(input, ctx) {
      const out: Finding[] = [];
      for (const tool of findTools(input)) {
        if (!categories.includes(tool.category)) continue;
        const name = toolName(tool);
        const version = tool.version ? ` ${tool.version}` : '';
        const where = tool.paths.length ? `: ${tool.paths.join(', ')}` : '';
        const what = `${tool.package ? `package ${name}${version}` : name} (${tool.category}${where}; ${humanBytes(tool.bytes)})`;
        const path = tool.paths.find((p) => p.endsWith(`/${name}`)) ?? tool.paths[0] ?? tool.package;
        const place = { path, layer: ctx.layer(tool.layer ?? -1), subject: `${tool.category}:${tool.package ?? tool.paths.join(',')}` };
        out.push(ctx.finding(meta, place, describe(tool, what)));
      }
      return out;
    },
  };
}
