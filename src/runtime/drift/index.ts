export * from './file-index.js';
export * from './detector.js';
