export { describeSupport, runtimeComponents, runtimeSupport, type RuntimeComponent, type RuntimeSupport, type RuntimeSupportOptions } from './runtime-eol.js';
