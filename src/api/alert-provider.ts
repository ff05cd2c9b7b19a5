// The AlertProvider kind: where Canary alerts are sent.
import { z } from 'zod';
import { admissionRulesEnforced } from './rules.js';
import { ConditionsOnlyStatusSchema, LocalObjectReferenceSchema, ObjectMetaSchema } from './common.js';

/** Flagger's five chat types plus 'webhook', a flagger-ts generic JSON POST. */
export const ALERT_PROVIDER_TYPES = ['slack', 'msteams', 'discord', 'rocket', 'gchat', 'webhook'] as const;
export const AlertProviderTypeSchema = z.enum(ALERT_PROVIDER_TYPES);
export type AlertProviderType = z.infer<typeof AlertProviderTypeSchema>;

export const DEFAULT_ALERT_CHANNEL = 'general';
export const DEFAULT_ALERT_USERNAME = 'flagger';

export const AlertProviderSpecSchema = z
  .looseObject({
    type: AlertProviderTypeSchema,
    /** Defaults to DEFAULT_ALERT_CHANNEL when unset (see alertChannel). */
    channel: z.string().optional(),
    /** Defaults to DEFAULT_ALERT_USERNAME when unset (see alertUsername). */
    username: z.string().optional(),
    /** Webhook URL; a secretRef's `address` key overrides it. */
    address: z.string().optional(),
    /** HTTP(S) proxy URL. */
    proxy: z.string().optional(),
    /** Secret with `address` (required) and optional `token` (sent as a Bearer token). */
    secretRef: LocalObjectReferenceSchema.optional(),
    /** flagger-ts extension: a template for the message text. */
    messageTemplate: z.string().optional(),
  })
  // Flagger's CRD: exactly one of address and secretRef (by presence); the same check in TS.
  .superRefine((spec, ctx) => {
    if (!admissionRulesEnforced()) return;
    if ((spec.address === undefined) === (spec.secretRef === undefined)) {
      ctx.addIssue({
        code: 'custom',
        message: 'exactly one of spec.address or spec.secretRef is required',
        path: ['address'],
        input: spec,
      });
    }
  })
  .meta({ oneOf: [{ required: ['type', 'address'] }, { required: ['type', 'secretRef'] }] });
export type AlertProviderSpec = z.infer<typeof AlertProviderSpecSchema>;

export const AlertProviderSchema = z.looseObject({
  apiVersion: z.string().regex(/^flagger\.app\//),
  kind: z.literal('AlertProvider'),
  metadata: ObjectMetaSchema,
  spec: AlertProviderSpecSchema,
  status: ConditionsOnlyStatusSchema.optional(),
});
export type AlertProvider = z.infer<typeof AlertProviderSchema>;

export const alertChannel = (spec: AlertProviderSpec): string => spec.channel || DEFAULT_ALERT_CHANNEL;
export const alertUsername = (spec: AlertProviderSpec): string => spec.username || DEFAULT_ALERT_USERNAME;
