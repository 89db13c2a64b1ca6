// The event catalogue: every event the planner publishes, its detail-type, its payload schema and a
// deterministic id so that subscribers can drop duplicates. Infra rules and docs read this module.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { TenantJobSchema } from '../jobs/job-message.ts';

export const EVENT_SOURCE = 'bakery.planner';
/** 2.0: amounts are named without a currency (`totalCost`) and carry `currency`. */
export const SCHEMA_VERSION = '2.0';

const base = {
  eventId: z.string().describe('Stable id: the same fact always has the same id, so duplicates can be dropped.'),
  schemaVersion: z.literal(SCHEMA_VERSION),
  tenantId: z.string(),
  planId: z.string(),
  planDate: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .describe('Tenant-local date the plan is for.'),
  occurredAt: z.string().describe('ISO-8601 instant.'),
};

export const EVENT_SCHEMAS = {
  'production.schedule.generated': z.object({
    ...base,
    timezone: z.string(),
    products: z.number().int(),
    batches: z.number().int(),
    plannedUnits: z.number(),
    shortfallUnits: z.number(),
    trigger: z.string(),
  }),
  'procurement.plan.generated': z.object({
    ...base,
    version: z.number().int(),
    supersedes: z.string().optional(),
    requirements: z.number().int(),
    requirementsByPriority: z.record(z.string(), z.number().int()),
    totalCost: z.number().describe('In `currency`.'),
    currency: z.string().describe('ISO 4217 code of every amount of the plan.'),
    trigger: z.string(),
  }),
  'procurement.plan.status_changed': z.object({
    ...base,
    version: z.number().int(),
    from: z.string(),
    to: z.string(),
    by: z.string(),
    reason: z.string().optional(),
  }),
  'procurement.plan.lines_approved': z.object({
    ...base,
    version: z.number().int(),
    by: z.string(),
    ingredientIds: z.array(z.string()).describe('The order lines signed off by this change.'),
    remaining: z
      .number()
      .int()
      .describe('Ordering lines still to sign off; 0: the plan is approved (a status change says so too).'),
  }),
  'procurement.plan.rejected': z.object({
    ...base,
    version: z.number().int(),
    by: z.string(),
    reason: z.string(),
    regenerationRequested: z.boolean(),
  }),
  'procurement.plan.regeneration_requested': z.object({
    ...base,
    version: z.number().int(),
    reason: z.string(),
    job: TenantJobSchema.describe(
      'The tenant job that builds the new version: the bus routes it to the jobs queue as it is.',
    ),
  }),
  'plan.cleanup.status_changed': z.object({
    ...base,
    kind: z.enum(['production', 'procurement']),
    from: z.string(),
    to: z.string(),
    reason: z.string(),
  }),
  'webhook.endpoint.disabled': z.object({
    eventId: base.eventId,
    schemaVersion: base.schemaVersion,
    tenantId: base.tenantId,
    occurredAt: base.occurredAt,
    endpointId: z.string(),
    url: z.string(),
    reason: z.string().describe('Why: a 410 Gone, or every delivery failing for 72 hours.'),
    failingSince: z.string().optional().describe('ISO-8601 instant of the first failure in a row.'),
  }),
  'plan.quality.measured': z.object({
    ...base,
    basis: z
      .enum(['actuals', 'sales'])
      .describe(
        "What the measure rests on: actuals a person recorded, or (none recorded by the next morning) the day's sales alone — what was there and did not sell taken as left over, a product that sold all there was as sold out.",
      ),
    score: z.number().nullable().describe("Realized profit as a share of perfect foresight's (1: a perfect day)."),
    wape: z.number().nullable(),
    bias: z.number().nullable().describe('Above 0: the forecast was too high.'),
    wasteUnits: z.number(),
    wasteCost: z.number().describe('In `currency`.'),
    fillRate: z.number().nullable(),
    lostSales: z.number(),
    soldOut: z.number().int(),
    products: z.number().int().describe('Products with actuals (the figures are over them).'),
    currency: z.string(),
  }),
  'plan.escalation.unapproved': z.object({
    ...base,
    kind: z.enum(['production', 'procurement']),
    status: z.string(),
    /** The tenant's review deadline (local "HH:00") that passed. */
    deadline: z.string(),
  }),
} as const;

export type EventDetailType = keyof typeof EVENT_SCHEMAS;
export type EventDetail<T extends EventDetailType> = z.infer<(typeof EVENT_SCHEMAS)[T]>;
export const EVENT_DETAIL_TYPES = Object.keys(EVENT_SCHEMAS) as EventDetailType[];

export interface PlanEvent<T extends EventDetailType = EventDetailType> {
  detailType: T;
  detail: EventDetail<T>;
}

/** The plan an event is about: every event's but a webhook endpoint's (undefined then). */
export function planOf(event: PlanEvent): { planId: string; planDate: string } | undefined {
  return 'planId' in event.detail ? event.detail : undefined;
}

/** Deterministic event id from the detail-type and the facts that identify the occurrence. */
export function eventId(detailType: EventDetailType, ...identity: readonly (string | number)[]): string {
  return createHash('sha256')
    .update([detailType, ...identity].join('|'))
    .digest('hex')
    .slice(0, 32);
}

/** Builds an event, filling the envelope fields and validating the payload against its schema. */
export function planEvent<T extends EventDetailType>(
  detailType: T,
  identity: readonly (string | number)[],
  payload: Omit<EventDetail<T>, 'eventId' | 'schemaVersion'>,
): PlanEvent<T> {
  const detail = EVENT_SCHEMAS[detailType].parse({
    ...payload,
    eventId: eventId(detailType, ...identity),
    schemaVersion: SCHEMA_VERSION,
  }) as EventDetail<T>;
  return { detailType, detail };
}

/** JSON Schema (draft 2020-12) of an event's detail, for subscribers and the docs. */
export function eventJsonSchema(detailType: EventDetailType): Record<string, unknown> {
  return z.toJSONSchema(EVENT_SCHEMAS[detailType]) as Record<string, unknown>;
}

/** Where events go: each rule's detail-types, used by the CDK rules and by the local bus alike. */
export const EVENT_ROUTES = {
  /** Regeneration requests carry their tenant job; the rule sends `detail.job` to the jobs queue. */
  regeneration: ['procurement.plan.regeneration_requested'],
  /** What production managers and stakeholders are told about (through the notifications topic). */
  notifications: [
    'production.schedule.generated',
    'procurement.plan.generated',
    'procurement.plan.rejected',
    'plan.escalation.unapproved',
    'webhook.endpoint.disabled',
  ],
} as const satisfies Record<string, readonly EventDetailType[]>;

/** The EventBridge pattern matching these detail-types from the planner. */
export function eventPattern(detailTypes: readonly EventDetailType[]): { source: string[]; 'detail-type': string[] } {
  return { source: [EVENT_SOURCE], 'detail-type': [...detailTypes] };
}
