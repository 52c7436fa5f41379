export * from './alert.js';
export * from './agent.js';
export * from './control.js';
export * from './queue.js';
export * from './sinks.js';
export * from './status.js';
