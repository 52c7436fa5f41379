/**
 * The rule engine: compiled rules indexed by event type, evaluated per RuntimeEvent.
 */
import type { RuntimeEvent, RuntimeEventType } from '../events.js';
import { EventView, FALCO_EVENT_TYPE } from './fields.js';
import { DEFAULT_RULES_FILE, loadRuleFiles, priorityRank, type CompiledRule, type Priority } from './load.js';

export interface RuleAlert {
  rule: string;
  priority: Priority;
  /** The rule's output template rendered for this event. */
  output: string;
  tags: string[];
  event: RuntimeEvent;
}

export interface RuleEngineOptions {
  /** Drop rules less severe than this (Falco's `priority` setting). Default: all. */
  minPriority?: Priority;
}

const NO_ALERTS: readonly RuleAlert[] = Object.freeze([]);

export class RuleEngine {
  readonly rules: readonly CompiledRule[];
  private readonly byType = new Map<RuntimeEventType, CompiledRule[]>();
  /** Reused for every event: evaluation is synchronous and not re-entrant. */
  private readonly view = new EventView();

  constructor(rules: readonly CompiledRule[], options: RuleEngineOptions = {}) {
    const floor = options.minPriority === undefined ? Infinity : priorityRank(options.minPriority);
    this.rules = rules.filter((r) => priorityRank(r.def.priority) <= floor);
    for (const [type, falcoType] of Object.entries(FALCO_EVENT_TYPE) as [RuntimeEventType, string][]) {
      this.byType.set(
        type,
        this.rules.filter((r) => r.eventTypes === undefined || r.eventTypes.has(falcoType)),
      );
    }
  }

  /** The alerts an event raises, in rule order (a shared empty array when none: do not mutate it). */
  evaluate(ev: RuntimeEvent): readonly RuleAlert[] {
    const candidates = this.byType.get(ev.type);
    if (candidates === undefined) return NO_ALERTS;
    if (candidates.length === 0) return NO_ALERTS;
    const view = this.view.load(ev);
    let out: RuleAlert[] | undefined;
    for (let i = 0; i < candidates.length; i++) {
      const r = candidates[i]!;
      if (!r.test(view)) continue;
      (out ??= []).push({ rule: r.def.name, priority: r.def.priority, output: r.renderView(view), tags: r.def.tags, event: ev });
    }
    return out ?? NO_ALERTS;
  }

  /** Number of matching rules for an event, without building alerts (benchmarks, counters). */
  countMatches(ev: RuntimeEvent): number {
    const candidates = this.byType.get(ev.type);
    if (candidates === undefined || candidates.length === 0) return 0;
    const view = this.view.load(ev);
    let n = 0;
    for (let i = 0; i < candidates.length; i++) if (candidates[i]!.test(view)) n++;
    return n;
  }
}

/** An engine over the shipped default rules plus any extra files (loaded after, so they can replace or disable). */
export async function loadRuleEngine(extraFiles: string[] = [], options: RuleEngineOptions = {}): Promise<RuleEngine> {
  return new RuleEngine(await loadRuleFiles([DEFAULT_RULES_FILE, ...extraFiles]), options);
}
