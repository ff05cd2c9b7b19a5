// `flagger-ts validate <file...>`: offline checks of Canary, MetricTemplate and
// AlertProvider documents with the operator's own schemas. Other kinds are skipped.
import type { Command } from 'commander';
import { readFile } from 'node:fs/promises';
import { parseAllDocuments, type YAMLError } from 'yaml';
import { unknownFields } from '../api/unknown-fields.js';
import {
  validateAlertProvider,
  validateCanary,
  validateMetricTemplate,
  type ValidationError,
} from '../api/validate.js';
import { isRecord } from '../kube/json.js';
import { routerProviders } from '../routers/registry.js';
import { CliError, errorText } from './common/errors.js';
import { paint, stdoutWriter, type Writer } from './common/output.js';

export interface DocumentReport {
  readonly file: string;
  /** 1-based position of the document in the file. */
  readonly index: number;
  readonly kind: string;
  readonly name: string;
  readonly status: 'valid' | 'invalid' | 'skipped';
  readonly errors: readonly ValidationError[];
}

const FLAGGER_GROUP = /^flagger\.app\//;

function checkObject(
  obj: Record<string, unknown>,
  noCrossNamespaceRefs: boolean,
): ValidationError[] | undefined {
  const kind = obj['kind'];
  const apiVersion = typeof obj['apiVersion'] === 'string' ? obj['apiVersion'] : '';
  if (!FLAGGER_GROUP.test(apiVersion)) return undefined;
  // kubectl's default --validate=strict refuses fields our CRDs do not declare (even null ones).
  const unknown = typeof kind === 'string' ? unknownFields(kind, obj) : [];
  const errs = (r: { ok: true } | { ok: false; errors: ValidationError[] }): ValidationError[] => [
    ...unknown.map((field) => ({ field, message: `${field}: unknown field` })),
    ...(r.ok ? [] : r.errors),
  ];
  switch (kind) {
    case 'Canary':
      return errs(validateCanary(obj, { noCrossNamespaceRefs, knownProviders: routerProviders() }));
    case 'MetricTemplate':
      return errs(validateMetricTemplate(obj));
    case 'AlertProvider':
      return errs(validateAlertProvider(obj, { admission: true }));
    default:
      return [
        {
          field: 'kind',
          message: `kind: "${String(kind)}" is not a flagger.app kind (Canary, MetricTemplate, AlertProvider)`,
        },
      ];
  }
}

/** A YAML parse error as one line: what, where, and the offending source line. */
export function yamlErrorText(e: YAMLError, text: string): string {
  const reason = e.message.split(' at line ')[0]?.split('\n')[0]?.trim() || e.code;
  const pos = e.linePos?.[0];
  if (pos === undefined) return `(yaml): YAML syntax error: ${reason}`;
  const source = text.split('\n')[pos.line - 1]?.trim() ?? '';
  return `(yaml): YAML syntax error at line ${pos.line}, column ${pos.col}: ${reason}${source === '' ? '' : ` (near "${source}")`}`;
}

/**
 * Validates every document of one YAML text; `file` only names it in reports. YAML 1.1, as
 * kubectl reads it (sigs.k8s.io/yaml): `yes`/`no`/`on`/`off` are booleans there.
 */
export function validateText(file: string, text: string, noCrossNamespaceRefs = false): DocumentReport[] {
  const docs = parseAllDocuments(text, { prettyErrors: true, version: '1.1' });
  if (!Array.isArray(docs)) return [];
  const reports: DocumentReport[] = [];
  docs.forEach((doc, i) => {
    const index = i + 1;
    if (doc.errors.length > 0) {
      const errors = doc.errors.map((e) => ({ field: '(yaml)', message: yamlErrorText(e, text) }));
      reports.push({ file, index, kind: '?', name: '?', status: 'invalid', errors });
      return;
    }
    const obj: unknown = doc.toJS();
    if (obj === null || obj === undefined) return; // an empty document (e.g. a trailing ---)
    if (!isRecord(obj)) {
      const errors = [{ field: '(root)', message: '(root): a Kubernetes object must be a mapping' }];
      reports.push({ file, index, kind: '?', name: '?', status: 'invalid', errors });
      return;
    }
    const kind = typeof obj['kind'] === 'string' ? obj['kind'] : '?';
    const meta = obj['metadata'];
    const name = isRecord(meta) && typeof meta['name'] === 'string' ? meta['name'] : '?';
    const errors = checkObject(obj, noCrossNamespaceRefs);
    if (errors === undefined) reports.push({ file, index, kind, name, status: 'skipped', errors: [] });
    else reports.push({ file, index, kind, name, status: errors.length > 0 ? 'invalid' : 'valid', errors });
  });
  return reports;
}

export function renderReports(w: Writer, reports: readonly DocumentReport[]): string {
  let out = '';
  for (const r of reports) {
    const where = `${r.file}: document ${r.index} (${r.kind} ${r.name})`;
    if (r.status === 'skipped')
      out += `${paint(w, 'gray', '-')} ${where}: skipped (not a flagger.app object)\n`;
    else if (r.status === 'valid') out += `${paint(w, 'green', '✓')} ${where}: valid\n`;
    else for (const e of r.errors) out += `${paint(w, 'red', '✗')} ${where}: ${e.message}\n`;
  }
  return out;
}

interface ValidateFlags {
  readonly noCrossNamespaceRefs?: boolean;
  readonly quiet?: boolean;
}

export async function runValidate(
  files: readonly string[],
  flags: ValidateFlags,
  w: Writer,
): Promise<boolean> {
  const reports: DocumentReport[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = await readFile(file === '-' ? '/dev/stdin' : file, 'utf8');
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${errorText(err)}`);
    }
    reports.push(...validateText(file, text, flags.noCrossNamespaceRefs === true));
  }
  const shown = flags.quiet === true ? reports.filter((r) => r.status === 'invalid') : reports;
  w.write(renderReports(w, shown));
  const bad = reports.filter((r) => r.status === 'invalid').length;
  const checked = reports.filter((r) => r.status !== 'skipped').length;
  if (checked === 0 && bad === 0) w.write('no Canary, MetricTemplate or AlertProvider found\n');
  else w.write(`${checked} checked, ${bad} invalid\n`);
  return bad === 0;
}

export function registerValidateCommand(program: Command): void {
  program
    .command('validate')
    .argument('<files...>', 'YAML files (multi-document; - for stdin)')
    .description('validate Canary, MetricTemplate and AlertProvider manifests offline (exit 1 on any error)')
    .option(
      '--no-cross-namespace-refs',
      'also reject references to other namespaces, as the operator flag does',
    )
    .option('-q, --quiet', 'print only the errors')
    .action(async (files: string[], flags: { crossNamespaceRefs?: boolean; quiet?: boolean }) => {
      const ok = await runValidate(
        files,
        { noCrossNamespaceRefs: flags.crossNamespaceRefs === false, quiet: flags.quiet === true },
        stdoutWriter(),
      );
      if (!ok) process.exitCode = 1;
    });
}
