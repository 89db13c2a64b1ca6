// What the API's routes answer (docs/api.md), as the CLI reads them: the domain's own types where a
// route returns a stored document, and the few shapes routes make up themselves.
import type { Catalog, ProcurementPlan, ProductionSchedule, StockSnapshot, Tenant } from '../domain.ts';
import type { CacheStats } from '../ports.ts';
import type { PlanSummary } from '../workflow/cleanup.ts';

export type { CacheStats, Catalog, StockSnapshot, Tenant };

export interface TenantList {
  tenants: Tenant[];
}

export interface CreatedTenant extends Tenant {
  /** Today's jobs that already ran in the tenant's zone: a catch-up plans them once the data is in. */
  catchUpDue: { planDate: string; jobs: string[] }[];
}

export interface UpdatedTenant extends Tenant {
  /** Local dates a zone change enqueued. */
  catchUp?: string[];
}

export interface PlanList {
  plans?: PlanSummary[];
  schedules?: PlanSummary[];
}

/** A stored plan with the revision a status change must name. */
export type StoredProcurementPlan = ProcurementPlan & { revision: number };
export type StoredProductionSchedule = ProductionSchedule & { revision: number };

export interface StatusChanged {
  planId: string;
  status: string;
  revision: number;
  regeneration?: { job: { version: number } };
}

export interface LinesApproved extends StatusChanged {
  approved: string[];
  remaining: number;
}

export interface CatchUpDue {
  planDate: string;
  jobs: string[];
}

export interface ZonesMoved {
  moved: { from: string; to: string; tenants: number }[];
}
