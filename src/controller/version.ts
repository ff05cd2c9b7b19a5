// The version flagger-ts reports (--version, /metrics' info gauge), in a module of its own so
// the CLI can print it without loading the operator.
export const VERSION = '0.1.0';
