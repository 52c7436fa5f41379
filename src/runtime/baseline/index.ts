export { BaselineEngine, DEFAULT_BASELINE_OPTIONS, type BaselineOptions, type BaselineOptionsInput } from './engine.js';
export { BaselineStore, BASELINE_SCHEMA_VERSION, type ModelChanges } from './store.js';
export { modelFromYaml, modelToYaml } from './yaml.js';
export { DEFAULT_RATE_OPTIONS, type RateOptions } from './rates.js';
export { addressClass, commandShape, normalizeArg, parentDir } from './normalize.js';
export * from './model.js';
