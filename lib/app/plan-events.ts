// The "plan generated" event of a procurement plan version, built the same way by the daily job, a
// regeneration and an operator's modification.
import type { ProcurementPlan } from '../domain.ts';
import { type PlanEvent, planEvent } from '../events/catalogue.ts';

export function procurementGeneratedEvent(plan: ProcurementPlan, trigger: string, occurredAt: string): PlanEvent {
  const byPriority: Record<string, number> = {};
  for (const r of plan.requirements) byPriority[r.priority] = (byPriority[r.priority] ?? 0) + 1;
  return planEvent('procurement.plan.generated', [plan.planId], {
    tenantId: plan.tenantId,
    planId: plan.planId,
    planDate: plan.planDate,
    occurredAt,
    version: plan.version,
    ...(plan.supersedes ? { supersedes: plan.supersedes } : {}),
    requirements: plan.requirements.length,
    requirementsByPriority: byPriority,
    totalCost: plan.totalCost,
    currency: plan.currency,
    trigger,
  });
}
