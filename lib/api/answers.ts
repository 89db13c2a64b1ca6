// What the API answers, route by route: the response schemas of the OpenAPI document (openapi.ts),
// which the contract test holds the served answers to. Objects are open (a client ignores fields it
// does not know, and the API may add some); the fields named here are always there.
import { z } from 'zod';
import { PROCUREMENT_STATUSES, PRODUCTION_STATUSES } from '../domain.ts';
import { EVENT_DETAIL_TYPES, type EventDetailType } from '../events/catalogue.ts';
import { JOB_NAMES } from '../jobs/job-table.ts';

const date = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .describe('A local date, YYYY-MM-DD.');
const instant = z.string().describe('An ISO-8601 instant.');
const money = z.number().describe("An amount in the tenant's currency.");

const ErrorAnswer = z.looseObject({
  error: z.string().describe('What is wrong and what to do.'),
  field: z.string().optional().describe('The first bad field, parameter or query (400).'),
  issues: z.array(z.looseObject({ path: z.array(z.union([z.string(), z.number()])), message: z.string() })).optional(),
  line: z.number().int().optional().describe('The CSV line (400).'),
  retryAfterSeconds: z.number().int().optional().describe('When to try again (429).'),
});

export const TenantAnswer = z.looseObject({
  tenantId: z.string(),
  name: z.string(),
  timezone: z.string(),
  demo: z.boolean(),
  currency: z.string(),
  locale: z.string(),
  reviewDeadline: z.string().optional(),
  createdAt: instant,
});

const CatchUpSequence = z.looseObject({ planDate: date, jobs: z.array(z.enum(JOB_NAMES)) });

export const TenantListAnswer = z.looseObject({
  tenants: z.array(TenantAnswer),
  zones: z.array(z.looseObject({ timezone: z.string(), tenants: z.number().int() })),
});
export const CreatedTenantAnswer = TenantAnswer.extend({ catchUpDue: z.array(CatchUpSequence) });
export const UpdatedTenantAnswer = TenantAnswer.extend({ catchUp: z.array(CatchUpSequence) });
export const CatchUpAnswer = CatchUpSequence;

export const CatalogAnswer = z.looseObject({
  products: z.array(z.looseObject({ productId: z.string(), name: z.string() })),
  ingredients: z.array(z.looseObject({ ingredientId: z.string(), name: z.string() })),
  recipes: z.array(z.looseObject({ recipeId: z.string() })),
  suppliers: z.array(z.looseObject({ supplierId: z.string() })),
  equipment: z.array(z.looseObject({ equipmentId: z.string() })),
});

export const StockAnswer = z.looseObject({
  finishedGoods: z.array(z.looseObject({})),
  ingredients: z.array(z.looseObject({})),
});

export const ActualsRecordedAnswer = z.looseObject({
  recorded: z.number().int(),
  from: date,
  to: date,
  carriedOver: z.number().int().describe('Units carried over into the stock as day-old stock.'),
  soldOut: z.number().int().describe('Products that sold out, over the days recorded.'),
  measured: z
    .number()
    .int()
    .describe('Days measured against their plan (a `plan.quality.measured` event for the recent ones).'),
});
export const ActualsAnswer = z.looseObject({
  from: date,
  to: date,
  actuals: z.array(
    z.looseObject({
      date,
      productId: z.string(),
      sold: z.number().int(),
      leftover: z.number().int(),
      carriedOver: z.number().int(),
      soldOutAt: z.string().optional(),
    }),
  ),
});
const profit = z.looseObject({ realized: z.number(), lastWeek: z.number().nullable(), perfect: z.number() });
export const PlanQualityAnswer = z.looseObject({
  from: date,
  to: date,
  days: z.array(
    z.looseObject({
      date,
      planId: z.string(),
      basis: z
        .enum(['actuals', 'sales'])
        .describe("What the day's measure rests on: the recorded actuals, or (none recorded) the day's sales."),
      products: z.number().int(),
      missing: z.number().int().describe('Products of the schedule without actuals that day (left out).'),
      wape: z.number().nullable(),
      bias: z.number().nullable().describe('Above 0: the forecast was too high.'),
      wasteUnits: z.number(),
      wasteCost: z.number().describe('Waste at cost less salvage, in the tenant currency.'),
      fillRate: z.number().nullable(),
      lostSales: z.number(),
      soldOut: z.number().int(),
      profit,
      score: z.number().nullable().describe("Realized profit as a share of perfect foresight's."),
      fillRatePolicies: z
        .array(
          z.looseObject({
            family: z.string(),
            target: z.number(),
            bakedTo: z.number(),
            sold: z.number(),
            demand: z.number(),
          }),
        )
        .optional()
        .describe(
          "Each fill-rate policy's products that day: units sold against demand, and the fill rate they were baked to; the next days' plans correct the policy by it (absent: no fill-rate policy).",
        ),
      byProduct: z.array(z.looseObject({ productId: z.string(), profit })),
    }),
  ),
});
export const SalesImportAnswer = z.looseObject({
  imported: z.number().int(),
  products: z.number().int(),
  closedDates: z.number().int(),
  reopenedDates: z.number().int(),
  holidays: z.number().int(),
  /** The newest day the stored sales account for (a row or a closure), when within four weeks. */
  salesThrough: z.string().optional(),
  /**
   * Days inside the import with no row for any product, not declared closed (at most 31 listed): read as
   * missing, proposed to be declared as closures.
   */
  proposedClosures: z.array(z.string()).optional(),
  /** What the import did not refuse but a person should know (sales ending days ago, days without rows). */
  warnings: z.array(z.string()),
});
export const DriversImportAnswer = z.looseObject({
  imported: z.number().int(),
  drivers: z.array(z.string()),
  dates: z.number().int(),
});

const PlanSummary = z.looseObject({
  kind: z.enum(['production', 'procurement']),
  planId: z.string(),
  planDate: date,
  status: z.string(),
  version: z.number().int(),
  revision: z.number().int().optional(),
});
export const ScheduleListAnswer = z.looseObject({ schedules: z.array(PlanSummary) });
export const PlanListAnswer = z.looseObject({ plans: z.array(PlanSummary) });

export const ScheduleAnswer = z.looseObject({
  planId: z.string(),
  tenantId: z.string(),
  planDate: date,
  status: z.enum(PRODUCTION_STATUSES),
  revision: z.number().int(),
  lines: z.array(z.looseObject({ productId: z.string() })),
  batches: z.array(z.looseObject({ productId: z.string(), quantity: z.number(), startsAt: z.string() })),
  shortfalls: z.array(z.looseObject({ productId: z.string() })),
  generatedAt: instant,
});

export const PlanAnswer = z.looseObject({
  planId: z.string(),
  tenantId: z.string(),
  planDate: date,
  version: z.number().int(),
  status: z.enum(PROCUREMENT_STATUSES),
  revision: z.number().int(),
  currency: z.string(),
  totalCost: money,
  requirements: z.array(
    z.looseObject({
      ingredientId: z.string(),
      supplierId: z.string(),
      orderQuantity: z.number(),
      orderDate: date,
      priority: z.enum(['critical', 'high', 'medium', 'low']),
    }),
  ),
  history: z.array(z.looseObject({ at: instant, by: z.string(), to: z.string() })),
  approvedLines: z
    .array(z.object({ ingredientId: z.string(), by: z.string(), at: instant }))
    .optional()
    .describe('Order lines signed off one by one while the plan waits (approval by supplier or by line).'),
  generatedAt: instant,
});
export const LinesApprovedAnswer = PlanAnswer.extend({
  approved: z.array(z.string()).describe('The order lines this request signed off (none: they already were).'),
  remaining: z.number().int().describe('Ordering lines still to sign off; 0: the plan is approved.'),
});
export const StatusChangedAnswer = PlanAnswer.extend({
  regeneration: z.looseObject({}).nullable().describe('The version being built after a stale-data rejection.'),
});

export const ForecastsAnswer = z.looseObject({
  date,
  forecasts: z.array(
    z.looseObject({
      productId: z.string(),
      forecastDate: date,
      method: z.string(),
      quantiles: z.looseObject({ p10: z.number(), p50: z.number(), p90: z.number() }),
    }),
  ),
  hits: z.number().int(),
  misses: z.number().int(),
});
export const MorningAnswer = z.looseObject({
  tenant: z.looseObject({
    tenantId: z.string(),
    timezone: z.string(),
    currency: z.string(),
    reviewDeadline: z.string(),
  }),
  date,
  today: date,
  /** Why the day has no plan yet, and whether `POST …/catch-up` would plan it now. */
  empty: z
    .object({
      reason: z.string(),
      message: z
        .looseObject({ text: z.string() })
        .describe("`reason` as its English template and values, to show in the bakery's language."),
      catchUp: z.boolean(),
    })
    .nullable(),
  production: ScheduleAnswer.nullable(),
  procurement: PlanAnswer.nullable(),
  procurementVersions: z.array(z.looseObject({ version: z.number().int(), status: z.string() })),
  charts: z.array(z.looseObject({ productId: z.string() })),
});
export const CacheStatsAnswer = z.looseObject({
  entries: z.number().int(),
  hits: z.number().int(),
  misses: z.number().int(),
  hitRate: z.number().nullable(),
  failures: z.number().int(),
});
export const InvalidatedAnswer = z.looseObject({ invalidated: z.number().int() });
export const FleetInvalidatedAnswer = z.looseObject({ tenants: z.number().int(), invalidated: z.number().int() });
export const CanonicalizedAnswer = z.looseObject({
  moved: z.array(z.looseObject({ from: z.string(), to: z.string(), tenants: z.number().int() })),
});
export const RunsAnswer = z.looseObject({
  runs: z.array(z.looseObject({ job: z.string(), timezone: z.string(), planDate: date, enqueued: z.number().int() })),
  enqueued: z.number().int(),
});
export const SignInConfigAnswer = z.looseObject({
  authorizeUrl: z.string(),
  tokenUrl: z.string(),
  clientId: z.string(),
  scopes: z.array(z.string()),
});

const eventType = z.enum(EVENT_DETAIL_TYPES as [EventDetailType, ...EventDetailType[]]);
export const WebhookEndpointAnswer = z.looseObject({
  endpointId: z.string(),
  tenantId: z.string(),
  url: z.string(),
  eventTypes: z.array(eventType),
  description: z.string(),
  enabled: z.boolean(),
  disabled: z.looseObject({ at: instant, by: z.string(), reason: z.string() }).optional(),
  failingSince: instant.optional(),
  secrets: z.array(z.looseObject({ createdAt: instant, expiresAt: instant.optional() })),
  revision: z.number().int(),
});
export const WebhookWithSecretAnswer = WebhookEndpointAnswer.extend({
  secret: z.string().describe('The signing secret (whsec_…): shown this once.'),
});
export const WebhookListAnswer = z.looseObject({ endpoints: z.array(WebhookEndpointAnswer) });
export const WebhookDeletedAnswer = z.looseObject({ deleted: z.string() });
export const DeliveryLogAnswer = z.looseObject({
  attempts: z.array(
    z.looseObject({
      eventId: z.string(),
      eventType: z.string(),
      attempt: z.number().int(),
      at: instant,
      outcome: z.enum(['delivered', 'failed', 'refused']),
      status: z.number().int().optional(),
      latencyMs: z.number(),
      excerpt: z.string().optional(),
      error: z.string().optional(),
      nextAttemptAt: instant.optional(),
    }),
  ),
});
export const ReplayAnswer = z.looseObject({ replayed: z.number().int() });

/** The answers other answers hold, as named components of the OpenAPI document. */
export const SHARED_ANSWERS: Record<string, z.ZodType> = {
  Error: ErrorAnswer,
  Tenant: TenantAnswer,
  Catalog: CatalogAnswer,
  Stock: StockAnswer,
  PlanSummary,
  ProductionSchedule: ScheduleAnswer,
  ProcurementPlan: PlanAnswer,
  WebhookEndpoint: WebhookEndpointAnswer,
};

export const PurchaseOrdersAnswer = z.object({
  purchaseOrders: z.array(
    z.looseObject({
      number: z.string(),
      planId: z.string(),
      supplier: z.looseObject({ supplierId: z.string(), name: z.string() }),
      orderedOn: z.string(),
      deliverOn: z.string(),
      currency: z.string(),
      lines: z.array(
        z.object({
          ingredientId: z.string(),
          name: z.string(),
          quantity: z.number(),
          unit: z.string(),
          unitPrice: z.number(),
          cost: z.number(),
        }),
      ),
      total: z.number(),
    }),
  ),
});

export const SentPurchaseOrdersAnswer = z.object({
  status: z.string(),
  sent: z.array(z.object({ number: z.string(), supplierId: z.string(), to: z.string(), messageId: z.string() })),
  notSent: z.array(z.object({ number: z.string(), supplierId: z.string(), reason: z.string() })),
});

const PrepWeight = z.object({
  kind: z.enum(['ingredient', 'recipe']),
  id: z.string(),
  name: z.string(),
  quantity: z.number(),
  unit: z.string(),
});
export const PrepSheetAnswer = z.object({
  planDate: date,
  tasks: z.array(
    z.object({
      day: date,
      startsAt: z.string(),
      kind: z.enum(['prep', 'bake']),
      recipeId: z.string(),
      name: z.string(),
      quantity: z.number(),
      unit: z.string(),
      batchNumber: z.string(),
      equipmentId: z.string().nullable(),
      weights: z.array(PrepWeight),
    }),
  ),
});
