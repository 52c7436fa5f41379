export { createEfficiencyCollector, type EfficiencyCollector, type LayerEntry } from './collector.js';
export { efficiencyFromLayerTars, feedLayer } from './layer-tars.js';
export * from './report.js';
