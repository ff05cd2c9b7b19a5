// text/template for MetricTemplate queries: lex → parse → execute, with the functions
// Flagger defines for queries. See render.ts for the model and the error type callers see.
import { functionNames } from './builtins.js';
import { Executor } from './exec.js';
import { lex } from './lex.js';
import { Parser } from './parse.js';
import type { GoValue } from './values.js';

export { TemplateError } from './values.js';

/** Parses and executes `src` with `funcs` (Flagger's model functions) and nil data. */
export function executeTemplate(src: string, funcs: ReadonlyMap<string, GoValue>): string {
  const tree = new Parser(lex(src), functionNames([...funcs.keys()])).parse();
  return new Executor(funcs, tree.defines).run(tree.main);
}
