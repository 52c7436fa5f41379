export { RuleEngine, loadRuleEngine, type RuleAlert, type RuleEngineOptions } from './engine.js';
export {
  DEFAULT_RULES_FILE,
  PRIORITIES,
  RuleLoadError,
  compileRuleSources,
  loadRuleFiles,
  parsePriority,
  priorityRank,
  type CompiledRule,
  type Priority,
  type RuleDefinition,
  type RuleException,
  type RuleSource,
} from './load.js';
export { ConditionError, compileCondition, globToRegExp, type CompileContext, type Predicate, type ViewPredicate } from './compile.js';
export { ConditionSyntaxError, parseCondition, type CondNode } from './parser.js';
export { EventView, FALCO_EVENT_TYPE, FIELDS, fieldValue, type FieldDef, type FieldKind, type FieldValue } from './fields.js';
