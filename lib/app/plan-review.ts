// Operators' changes to procurement plans: status changes (approve, reject, …), approval by supplier
// or by line, and modified quantities.
// Every change is conditional on the revision the operator saw, appended to the plan's history, and
// published. A rejection that blames stale data invalidates the tenant's cached forecasts and asks for
// a new version of the plan, which the bus routes to the jobs queue.

import type { ApprovalHistoryEntry, ProcurementPlan, ProcurementStatus } from '../domain.ts';
import { PlannerError } from '../errors.ts';
import { type PlanEvent, planEvent } from '../events/catalogue.ts';
import { idempotencyKey, type TenantJob } from '../jobs/job-message.ts';
import { procurementPlanId } from '../planning/procurement.ts';
import type { PlannerPorts, StoredPlan } from '../ports.ts';
import { type LocalDate, localDateAt } from '../time/tenant-clock.ts';
import { said } from '../words/message.ts';
import { SENTENCES } from '../words/sentences.ts';
import type { PlanSummary } from '../workflow/cleanup.ts';
import { approvalsKept, type LineSelection, linesAwaitingApproval, selectedLines } from '../workflow/line-approvals.ts';
import {
  assertProcurementTransition,
  IllegalTransitionError,
  PROCUREMENT_TRANSITIONS,
} from '../workflow/plan-lifecycle.ts';
import { stockAfterCancelling, stockAfterOrdering, stockAfterReceipt } from '../workflow/plan-receipts.ts';
import { staleDataPhrase } from '../workflow/rejection.ts';
import { invalidateForecastsSafely } from './forecasts.ts';
import { loadTenant, reviewDeadlineFor } from './jobs/tenant-job.ts';
import { procurementGeneratedEvent } from './plan-events.ts';

export class PlanNotFoundError extends PlannerError {
  constructor(readonly what: string) {
    super('not_found', `${what} does not exist.`);
  }
}

class PlanConflictError extends PlannerError {
  constructor(
    readonly planId: string,
    readonly currentStatus: string,
    readonly currentRevision: number,
  ) {
    super(
      'conflict',
      `Plan ${planId} was changed meanwhile (now "${currentStatus}", revision ${currentRevision}); reload it and try again.`,
      { currentStatus, currentRevision },
    );
  }
}

class ReviewValidationError extends PlannerError {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super('invalid', message, { field });
  }
}

export interface PlanRef {
  tenantId: string;
  planDate: LocalDate;
  version: number;
}

export async function loadProcurementPlan(ports: PlannerPorts, ref: PlanRef): Promise<StoredPlan<ProcurementPlan>> {
  const stored = await ports.plans.getProcurementPlan(ref.tenantId, ref.planDate, ref.version);
  if (!stored)
    throw new PlanNotFoundError(`Procurement plan v${ref.version} of ${ref.planDate} for tenant ${ref.tenantId}`);
  return stored;
}

/** The plan as the store's status changes name it. */
const summaryOf = (plan: ProcurementPlan): PlanSummary => ({
  kind: 'procurement',
  planId: plan.planId,
  planDate: plan.planDate,
  status: plan.status,
  version: plan.version,
});

/** The plan as stored, if it is still at the revision the operator reviewed (when they name one). */
async function loadAtRevision(
  ports: PlannerPorts,
  ref: PlanRef & { expectedRevision?: number },
): Promise<StoredPlan<ProcurementPlan>> {
  const stored = await loadProcurementPlan(ports, ref);
  if (ref.expectedRevision !== undefined && ref.expectedRevision !== stored.revision) {
    throw new PlanConflictError(stored.plan.planId, stored.plan.status, stored.revision);
  }
  return stored;
}

/** A plan still waiting for a person (draft or pending approval), for a change only such a plan takes. */
async function loadWaiting(
  ports: PlannerPorts,
  ref: PlanRef & { expectedRevision?: number },
  change: string,
): Promise<StoredPlan<ProcurementPlan>> {
  const stored = await loadAtRevision(ports, ref);
  if (!['draft', 'pending_approval'].includes(stored.plan.status))
    throw new IllegalTransitionError(stored.plan.status, change, PROCUREMENT_TRANSITIONS[stored.plan.status]);
  return stored;
}

/** The operator decided on a revision that is no longer current: say so, whatever the change would be now. */
async function conflict(ports: PlannerPorts, ref: PlanRef): Promise<PlanConflictError> {
  const now = await loadProcurementPlan(ports, ref);
  return new PlanConflictError(now.plan.planId, now.plan.status, now.revision);
}

export interface StatusChangeRequest extends PlanRef {
  to: ProcurementStatus;
  by: string;
  reason?: string;
  /** The revision the operator saw; omitted: the one read now. */
  expectedRevision?: number;
  /** For `completed`: what arrived per ingredient when it differs from what was ordered. */
  received?: Record<string, number>;
}

export interface StatusChangeResult {
  plan: ProcurementPlan;
  revision: number;
  /** Set when the rejection asked for a new version. */
  regeneration?: { phrase: string; job: TenantJob; invalidatedForecasts: number };
}

/**
 * Marked ordered, the plan's lines become open orders; received, they become lots; cancelled while
 * ordered, its orders go. Returns how to put the stock back, or null when the move does not touch it.
 */
async function applyStockEffect(
  ports: PlannerPorts,
  request: StatusChangeRequest,
  plan: ProcurementPlan,
  timezone: string,
  at: string,
): Promise<(() => Promise<void>) | null> {
  if (request.received && request.to !== 'completed')
    throw new ReviewValidationError(
      'received: only a plan marked received (completed) takes received quantities.',
      'received',
    );
  const ordered = request.to === 'in_execution';
  const received = request.to === 'completed';
  const cancelled = request.to === 'cancelled' && plan.status === 'in_execution';
  if (!ordered && !received && !cancelled) return null;
  const [before, catalog] = await Promise.all([
    ports.stock.getStock(request.tenantId),
    ports.catalog.getCatalog(request.tenantId),
  ]);
  const today = localDateAt(at, timezone);
  const after = ordered
    ? stockAfterOrdering(before, plan, catalog, today)
    : received
      ? stockAfterReceipt(before, plan, catalog, today, request.received)
      : stockAfterCancelling(before, plan);
  await ports.stock.putStock(request.tenantId, after);
  return () => ports.stock.putStock(request.tenantId, before);
}

export async function changeProcurementStatus(
  ports: PlannerPorts,
  request: StatusChangeRequest,
): Promise<StatusChangeResult> {
  if (request.to === 'rejected' && !request.reason?.trim())
    throw new ReviewValidationError('reason: a rejection needs a reason.', 'reason');
  const stored = await loadAtRevision(ports, request);
  const { plan } = stored;
  assertProcurementTransition(plan.status, request.to);
  const tenant = await loadTenant(ports, request.tenantId);
  const at = ports.now().toISOString();
  const entry: ApprovalHistoryEntry = {
    at,
    by: request.by,
    from: plan.status,
    to: request.to,
    ...(request.reason ? { reason: request.reason } : {}),
  };
  const revision = request.expectedRevision ?? stored.revision;
  const summary = summaryOf(plan);

  // The events are decided before the write and stored with it: a failure to publish loses nothing.
  const base = { tenantId: request.tenantId, planId: plan.planId, planDate: plan.planDate, occurredAt: at };
  const events: PlanEvent[] = [
    planEvent('procurement.plan.status_changed', [plan.planId, revision], {
      ...base,
      version: plan.version,
      from: plan.status,
      to: request.to,
      by: request.by,
      ...(request.reason ? { reason: request.reason } : {}),
    }),
  ];
  const phrase = request.to === 'rejected' ? staleDataPhrase(request.reason!) : null;
  let job: TenantJob | undefined;
  if (request.to === 'rejected') {
    events.push(
      planEvent('procurement.plan.rejected', [plan.planId, revision], {
        ...base,
        version: plan.version,
        by: request.by,
        reason: request.reason!,
        regenerationRequested: phrase !== null,
      }),
    );
  }
  if (phrase !== null) {
    const version = plan.version + 1;
    job = {
      job: 'procurement',
      tenantId: request.tenantId,
      timezone: tenant.timezone,
      planDate: plan.planDate,
      trigger: 'regeneration',
      scheduledTime: at,
      idempotencyKey: idempotencyKey(request.tenantId, 'procurement', plan.planDate, version),
      supersedes: plan.planId,
      version,
    };
    events.push(
      planEvent('procurement.plan.regeneration_requested', [plan.planId, version], {
        ...base,
        version: plan.version,
        reason: request.reason!,
        job,
      }),
    );
  }
  // The stock follows the plan's life (orders out, goods in): written first, so that a crash before
  // the status change leaves a retry to find the plan where it was; undone if the status change loses.
  const restoreStock = await applyStockEffect(ports, request, plan, tenant.timezone, at);
  if (!(await ports.plans.changeStatus(request.tenantId, summary, request.to, entry, revision, events))) {
    await restoreStock?.();
    throw await conflict(ports, request);
  }

  let regeneration: StatusChangeResult['regeneration'];
  if (request.to === 'rejected')
    ports.metrics.record(
      'PlanRejections',
      1,
      { AutoRegenerated: String(phrase !== null) },
      { tenantId: request.tenantId },
    );
  if (phrase !== null && job) {
    // The regeneration job invalidates again before it forecasts; doing it now makes every reader
    // stop using the stale forecasts at once.
    const invalidatedForecasts = await invalidateForecastsSafely(ports, request.tenantId, 'stale_rejection');
    regeneration = { phrase, job, invalidatedForecasts };
    ports.log.info('Stale-data rejection: forecasts invalidated, new version requested', {
      tenantId: request.tenantId,
      planId: plan.planId,
      phrase,
      invalidatedForecasts,
    });
  }
  return {
    plan: { ...plan, status: request.to, history: [...plan.history, entry] },
    revision: revision + 1,
    ...(regeneration ? { regeneration } : {}),
  };
}

export interface LineApprovalRequest extends PlanRef, LineSelection {
  by: string;
  /** The revision the operator saw; omitted: the one read now. */
  expectedRevision?: number;
}

export interface LineApprovalResult {
  plan: ProcurementPlan;
  revision: number;
  /** The lines this request signed off (none: they all were already). */
  approved: string[];
  /** Ordering lines still to sign off (0: the plan is approved). */
  remaining: number;
}

/**
 * Signs off order lines of a waiting plan, by supplier or by line. The last ordering line approves the
 * plan in the same write. Lines already signed off are left as they are, so a repeated request changes
 * nothing.
 */
export async function approveProcurementLines(
  ports: PlannerPorts,
  request: LineApprovalRequest,
): Promise<LineApprovalResult> {
  const stored = await loadWaiting(ports, request, 'approved');
  const { plan } = stored;
  const waiting = new Set(linesAwaitingApproval(plan).map((line) => line.ingredientId));
  const approved = selectedLines(plan, request).filter((id) => waiting.has(id));
  if (approved.length === 0) return { plan, revision: stored.revision, approved, remaining: waiting.size };
  const at = ports.now().toISOString();
  const approvals = approved.map((ingredientId) => ({ ingredientId, by: request.by, at }));
  const remaining = waiting.size - approved.length;
  const revision = request.expectedRevision ?? stored.revision;
  const base = { tenantId: request.tenantId, planId: plan.planId, planDate: plan.planDate, occurredAt: at };
  const events: PlanEvent[] = [
    planEvent('procurement.plan.lines_approved', [plan.planId, revision], {
      ...base,
      version: plan.version,
      by: request.by,
      ingredientIds: approved,
      remaining,
    }),
  ];
  const entry: ApprovalHistoryEntry | null =
    remaining === 0
      ? { at, by: request.by, from: plan.status, to: 'approved', reason: SENTENCES.everyLineApproved }
      : null;
  if (entry)
    events.push(
      planEvent('procurement.plan.status_changed', [plan.planId, revision], {
        ...base,
        version: plan.version,
        from: plan.status,
        to: 'approved',
        by: request.by,
        reason: entry.reason!,
      }),
    );
  if (!(await ports.plans.approveLines(request.tenantId, summaryOf(plan), approvals, revision, events, entry)))
    throw await conflict(ports, request);
  return {
    plan: {
      ...plan,
      ...(entry ? { status: 'approved' as const, history: [...plan.history, entry] } : {}),
      approvedLines: [...(plan.approvedLines ?? []), ...approvals],
    },
    revision: revision + 1,
    approved,
    remaining,
  };
}

export interface ModificationRequest extends PlanRef {
  changes: { ingredientId: string; orderQuantity: number }[];
  by: string;
  reason: string;
  expectedRevision?: number;
}

/**
 * Modified quantities make a new version: the old one is cancelled ("superseded by vN") and stays
 * readable; the new one starts as a draft with each change recorded as an adjustment.
 */
export async function modifyProcurementPlan(
  ports: PlannerPorts,
  request: ModificationRequest,
): Promise<ProcurementPlan> {
  const stored = await loadWaiting(ports, request, 'modified');
  const { plan } = stored;
  const byIngredient = new Map(plan.requirements.map((r) => [r.ingredientId, r]));
  for (const change of request.changes) {
    if (!byIngredient.has(change.ingredientId))
      throw new ReviewValidationError(
        `changes: ingredient "${change.ingredientId}" is not in plan ${plan.planId}.`,
        'changes',
      );
  }
  const at = ports.now().toISOString();
  const version = plan.version + 1;
  if (version > 999)
    throw new ReviewValidationError(
      `version: plan ${plan.planId} has reached 999 versions; it cannot be modified again.`,
      'version',
    );
  const requirements = plan.requirements.map((r) => {
    const change = request.changes.find((c) => c.ingredientId === r.ingredientId);
    if (!change || change.orderQuantity === r.orderQuantity) return r;
    return {
      ...r,
      orderQuantity: change.orderQuantity,
      adjustments: [
        ...r.adjustments,
        {
          ...said(SENTENCES.changedBy, { by: request.by, reason: request.reason }),
          before: r.orderQuantity,
          after: change.orderQuantity,
        },
      ],
      estimatedCost: Math.round(change.orderQuantity * r.unitPrice * 100) / 100,
    };
  });
  const kept = approvalsKept(plan, requirements);
  const { approvedLines: _signedOff, ...unsigned } = plan;
  const next: ProcurementPlan = {
    ...unsigned,
    ...(kept ? { approvedLines: kept } : {}),
    planId: procurementPlanId(request.tenantId, plan.planDate, version),
    version,
    status: 'draft',
    requirements,
    totalCost: Math.round(requirements.reduce((t, r) => t + r.estimatedCost, 0) * 100) / 100,
    supersedes: plan.planId,
    history: [
      { at, by: request.by, from: null, to: 'draft', reason: `modified from v${plan.version}: ${request.reason}` },
    ],
    generatedAt: at,
  };
  const summary = summaryOf(plan);
  const entry: ApprovalHistoryEntry = {
    at,
    by: request.by,
    from: plan.status,
    to: 'cancelled',
    reason: `superseded by v${version}: ${request.reason}`,
  };
  const revision = request.expectedRevision ?? stored.revision;
  const base = { tenantId: request.tenantId, planDate: plan.planDate, occurredAt: at };
  const events: PlanEvent[] = [
    planEvent('procurement.plan.status_changed', [plan.planId, revision], {
      ...base,
      planId: plan.planId,
      version: plan.version,
      from: plan.status,
      to: 'cancelled',
      by: request.by,
      reason: entry.reason!,
    }),
    procurementGeneratedEvent(next, 'modification', at),
  ];
  const tenant = await loadTenant(ports, request.tenantId);
  // One transaction: the old version is cancelled and the new one created, or nothing is written.
  if (
    !(await ports.plans.supersedeProcurementPlan(
      summary,
      revision,
      entry,
      next,
      tenant.timezone,
      events,
      reviewDeadlineFor(tenant),
    ))
  ) {
    throw await conflict(ports, request);
  }
  return next;
}
