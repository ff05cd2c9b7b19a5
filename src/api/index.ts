// Barrel for Flagger's API: schemas, types, effective values and validation.
// crd-gen.ts is build tooling and is deliberately not re-exported.
export * from './common.js';
export * from './canary.js';
export * from './status.js';
export * from './metric-template.js';
export * from './alert-provider.js';
export * from './defaults.js';
export * from './validate.js';
