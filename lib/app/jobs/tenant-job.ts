// What every tenant job shares: its result, the tenant and catalog it needs, and the skeleton of the
// jobs that create a plan (production, procurement). A plan's business key is its item key and its
// creation is conditional, so a job delivered twice writes once. A plan's events are written on its
// item in the same write, and the table's stream publishes them (app/event-relay.ts).
import type { Catalog, Tenant } from '../../domain.ts';
import { PlannerError } from '../../errors.ts';
import type { PlanEvent } from '../../events/catalogue.ts';
import type { TenantJob } from '../../jobs/job-message.ts';
import { FEEDBACK_DAYS, type FillRateCorrection, fillRateCorrections } from '../../planning/fill-rate-feedback.ts';
import type { CreateOutcome, PlannerPorts } from '../../ports.ts';
import { addDays, type LocalDate } from '../../time/tenant-clock.ts';
import { reviewDeadlineOf } from '../../workflow/review-deadline.ts';

class TenantNotFoundError extends PlannerError {
  constructor(readonly tenantId: string) {
    super(
      'not_found',
      `Tenant "${tenantId}" does not exist; the job cannot run. Create the tenant or drop the message from the DLQ.`,
    );
  }
}

class EmptyCatalogError extends PlannerError {
  constructor(readonly tenantId: string) {
    super(
      'invalid',
      `Tenant "${tenantId}" has no products in its catalog, so there is nothing to plan. Import one ` +
        `(npm run planner -- catalog import --tenant ${tenantId} --file docs/templates/catalog.json; see docs/onboarding.md).`,
    );
  }
}

export interface TenantJobResult {
  outcome: 'created' | 'duplicate' | 'done';
  planId?: string;
  /** What a person would want to know about the run (counts, cache use). */
  summary: Record<string, number | string>;
}

export async function loadTenant(ports: PlannerPorts, tenantId: string): Promise<Tenant> {
  const tenant = await ports.tenants.getTenant(tenantId);
  if (!tenant) throw new TenantNotFoundError(tenantId);
  return tenant;
}

/** A plan of nothing would stand for the day and hide the missing catalog: the job fails, saying why. */
export async function loadCatalog(ports: PlannerPorts, tenantId: string): Promise<Catalog> {
  const catalog = await ports.catalog.getCatalog(tenantId);
  if (catalog.products.length === 0) throw new EmptyCatalogError(tenantId);
  return catalog;
}

/**
 * The fill-rate policies' corrections from the tenant's measured plans of the FEEDBACK_DAYS before
 * `planDate` (one query; none without a fill-rate policy, and nothing is read then). A correction refines
 * a plan the day must have anyway: when the measures cannot be read, the policies bake to their targets
 * as set (planQualityFailed), never a failed job.
 */
export async function loadFillRateCorrections(
  ports: PlannerPorts,
  tenantId: string,
  catalog: Catalog,
  planDate: LocalDate,
): Promise<FillRateCorrection[]> {
  if (!catalog.servicePolicies?.some((p) => p.targetFillRate !== undefined)) return [];
  try {
    const kept = await ports.actuals.getQuality(tenantId, addDays(planDate, -FEEDBACK_DAYS), addDays(planDate, -1));
    return fillRateCorrections(kept, catalog.servicePolicies);
  } catch (error) {
    planQualityFailed(ports, tenantId, 'fillRateCorrections', error);
    return [];
  }
}

const PLAN_QUALITY_FAILURES = {
  fillRateCorrections:
    'Plan quality unreadable: the fill-rate policies bake to their targets as set today, uncorrected. The next run reads it again; if this repeats, check the table (throttling, permissions)',
  measure:
    "Yesterday's plan could not be measured from its sales; the cleanup went on with its rules. Recording yesterday's actuals measures it; if this repeats, check the table (throttling, permissions)",
} as const;

/** A plan-quality store call the job goes on without: counted (`PlanQualityFailures` by operation) and logged. */
export function planQualityFailed(
  ports: PlannerPorts,
  tenantId: string,
  operation: keyof typeof PLAN_QUALITY_FAILURES,
  error: unknown,
): void {
  ports.metrics.record('PlanQualityFailures', 1, { Operation: operation }, { tenantId });
  ports.log.warn(PLAN_QUALITY_FAILURES[operation], { tenantId, error });
}

/** The deadline under which a tenant's new plan waits for review (demo tenants are never escalated). */
export const reviewDeadlineFor = (tenant: Tenant) => (tenant.demo ? undefined : reviewDeadlineOf(tenant));

/** Plans made by a catch-up say so. */
export const catchUpMark = (job: TenantJob) => (job.trigger === 'catch-up' ? { catchUp: true as const } : {});

/** A plan a job built, with the events that announce it and what to report. */
interface BuiltPlan<P extends { planId: string }> {
  plan: P;
  events: PlanEvent[];
  summary: Record<string, number | string>;
}

/** The steps in which the plan-creating jobs differ. */
export interface PlanJobSteps<P extends { planId: string }> {
  /** `ProductionSchedulesGenerated` or `ProcurementPlansGenerated`, counted by outcome. */
  metric: 'ProductionSchedulesGenerated' | 'ProcurementPlansGenerated';
  /** The stored plan's id when this job's plan exists already. */
  existing(): Promise<string | null>;
  build(tenant: Tenant): Promise<BuiltPlan<P>>;
  /** Writes the plan with its events on its item, only if it does not exist yet. */
  write(plan: P, tenant: Tenant, events: readonly PlanEvent[]): Promise<CreateOutcome>;
  /** Metrics of a plan just created. */
  created(plan: P): void;
}

/** Writes the job's plan once, with its events: a plan already there (a second delivery) is left as it is. */
export async function runPlanJob<P extends { planId: string }>(
  ports: PlannerPorts,
  job: TenantJob,
  signal: AbortSignal,
  steps: PlanJobSteps<P>,
): Promise<TenantJobResult> {
  const existing = await steps.existing();
  if (existing) return { outcome: 'duplicate', planId: existing, summary: {} };
  const tenant = await loadTenant(ports, job.tenantId);
  const { plan, events, summary } = await steps.build(tenant);
  signal.throwIfAborted();
  const outcome = await steps.write(plan, tenant, events);
  ports.metrics.record(steps.metric, 1, { Status: outcome }, { tenantId: tenant.tenantId });
  if (outcome === 'exists') return { outcome: 'duplicate', planId: plan.planId, summary: {} };
  steps.created(plan);
  return { outcome: 'created', planId: plan.planId, summary: { ...summary, events: events.length } };
}
