// Cross-field rules written once and enforced twice: as a CEL rule in the CRD
// (`x-kubernetes-validations`, so `kubectl apply` refuses the object) and as a zod refinement
// (so `flagger-ts validate` and the operator give the same verdict with the same message).
// Each rule's TS predicate must say exactly what its CEL says; the fuzz test in
// test/integration/api/ checks both against the real API server.
import type { z } from 'zod';

export interface Rule<T> {
  /** CEL over `self` (the object the rule is attached to). */
  readonly cel: string;
  readonly message: string;
  /** The TS twin of `cel`: true when the value is valid. */
  readonly check: (value: T) => boolean;
  /** The field the message is about, relative to `self` (CEL fieldPath, e.g. `.max`). */
  readonly field?: string;
}

export const CEL_META_KEY = 'x-kubernetes-validations';

// The refinements apply to what comes in through the API (validate.ts: the operator and the
// CLI), not to every internal parse: tests and fixtures build partial objects with the same
// schemas. zod parses synchronously, so a flag set around one parse is scoped to it.
let enforcing = false;

/** Runs `parse` with the admission rules (CEL twins and oneOf checks) enforced. */
export function withAdmissionRules<T>(parse: () => T): T {
  const outer = enforcing;
  enforcing = true;
  try {
    return parse();
  } finally {
    enforcing = outer;
  }
}

/** True inside withAdmissionRules: refinements that mirror the CRD should check. */
export const admissionRulesEnforced = (): boolean => enforcing;

/** Attaches `rules` to `schema` as zod refinements and as CRD CEL rules. */
export function withRules<S extends z.ZodType>(schema: S, rules: readonly Rule<z.output<S>>[]): S {
  const refined = schema.superRefine((value, ctx) => {
    if (!enforcing) return;
    for (const rule of rules) {
      if (!rule.check(value)) {
        const path = rule.field === undefined ? [] : rule.field.replace(/^\./, '').split('.');
        ctx.addIssue({ code: 'custom', message: rule.message, path, input: value });
      }
    }
  });
  return refined.meta({
    [CEL_META_KEY]: rules.map((r) => ({
      rule: r.cel,
      message: r.message,
      ...(r.field === undefined ? {} : { fieldPath: r.field }),
    })),
  });
}

/** `has(self.f)` for optional fields: present and not undefined. */
export const present = (v: unknown): boolean => v !== undefined && v !== null;

/** The largest Go time.Duration, in milliseconds (time.ParseDuration rejects more). */
export const MAX_GO_DURATION_MS = 9_223_372_036_854.775;
