// Metric names, units and allowed dimensions: the one definition read by the emitter, alarms and docs.
// Tenant ids are properties (searchable in logs), never dimensions: each dimension value costs money.

export const METRICS_NAMESPACE = 'BakeryPlanner';

export const METRICS = {
  ProductionSchedulesGenerated: { unit: 'Count', dimensions: ['Status'] },
  GenerationDuration: { unit: 'Milliseconds', dimensions: ['Job'] },
  TenantsProcessed: { unit: 'Count', dimensions: ['Job', 'Status'] },
  BatchesCreated: { unit: 'Count', dimensions: [] },
  SchedulerRuns: { unit: 'Count', dimensions: ['Job', 'Trigger'] },
  SchedulerErrors: { unit: 'Count', dimensions: ['Job', 'ErrorType'] },
  ProcurementPlansGenerated: { unit: 'Count', dimensions: ['Status'] },
  RequirementsCreated: { unit: 'Count', dimensions: ['Priority'] },
  PlanRejections: { unit: 'Count', dimensions: ['AutoRegenerated'] },
  CleanupStatusChanges: { unit: 'Count', dimensions: ['Status'] },
  ForecastCacheHits: { unit: 'Count', dimensions: [] },
  ForecastCacheMisses: { unit: 'Count', dimensions: [] },
  ForecastCacheHitRate: { unit: 'Percent', dimensions: [] },
  ForecastCacheInvalidations: { unit: 'Count', dimensions: ['Reason'] },
  ForecastCacheFailures: { unit: 'Count', dimensions: ['Operation'] },
  /** A daily job fitted the tenant's model itself: the weekly one was missing, stale or unreadable. */
  ForecastModelFallbacks: { unit: 'Count', dimensions: ['Reason'] },
  /** An operator's read found no current model: these products were answered from the seasonal-naive baseline. */
  ForecastBaselineServed: { unit: 'Count', dimensions: ['Reason'] },
  /** Products newer than the tenant's model, fitted on their own for the day. */
  ForecastProductsFittedOnTheFly: { unit: 'Count', dimensions: [] },
  ModelTrainingDuration: { unit: 'Milliseconds', dimensions: [] },
  SchedulerLastRunTimestamp: { unit: 'Seconds', dimensions: ['Job', 'Timezone'] },
  TenantTimeouts: { unit: 'Count', dimensions: ['Job'] },
  /** A procurement plan made without its date's production schedule (it waited 30 minutes, or was run by hand). */
  ProcurementWithoutSchedule: { unit: 'Count', dimensions: [] },
  /**
   * A plan-quality store call a job went on without: the fill-rate corrections (the policies then bake
   * to their targets as set) or the cleanup's measure of yesterday from its sales.
   */
  PlanQualityFailures: { unit: 'Count', dimensions: ['Operation'] },
  /** Events the relay could not publish yet: the stream retries them. */
  EventsWaiting: { unit: 'Count', dimensions: [] },
  /** Events the bus refused for themselves, kept as dead-letter records. */
  EventDeadLetters: { unit: 'Count', dimensions: [] },
  /** A day's plan measured against its actuals: realized profit as a share of perfect foresight's (percent). */
  PlanScore: { unit: 'Percent', dimensions: [] },
  /** Units thrown away as a share of the units there were to sell (percent). */
  PlanWaste: { unit: 'Percent', dimensions: [] },
  /** Units sold as a share of demand (percent). */
  PlanFillRate: { unit: 'Percent', dimensions: [] },
  /** A day's forecast error far above the tenant's usual: a refit is queued. */
  ForecastDrift: { unit: 'Count', dimensions: [] },
  /** Webhook delivery attempts, by outcome (delivered, failed); the latency is a property. */
  WebhookDeliveries: { unit: 'Count', dimensions: ['Outcome'] },
  /** Endpoints the circuit breaker disabled (a 410, or every delivery failing for 72 hours). */
  WebhookEndpointsDisabled: { unit: 'Count', dimensions: [] },
} as const satisfies Record<string, { unit: string; dimensions: readonly string[] }>;

export type MetricName = keyof typeof METRICS;

/** The `Operation` dimension of ForecastCacheFailures: every cache call (forecasts and fitted models) that can fail without failing the job. */
export const CACHE_OPERATIONS = ['read', 'write', 'stats', 'invalidate', 'modelRead', 'modelWrite'] as const;
export type Dimensions<M extends MetricName> = Record<(typeof METRICS)[M]['dimensions'][number], string>;

export interface MetricRecord {
  name: MetricName;
  value: number;
  dimensions: Record<string, string>;
  properties: Record<string, unknown>;
}

/** The port through which the application records metrics; `flush` writes them out. */
export interface Metrics {
  record<M extends MetricName>(
    name: M,
    value: number,
    dimensions: Dimensions<M>,
    properties?: Record<string, unknown>,
  ): void;
  flush(): Promise<void>;
}
