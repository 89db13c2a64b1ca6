// Approval by supplier or by line: while a procurement plan waits, a manager may sign off its order
// lines a few at a time (the miller's order now, the dairy's after a call). Only lines that order
// something need a sign-off; when the last one has it, the plan is approved. A new version made by
// changed quantities keeps the sign-offs of the lines it did not change.
import type { LineApproval, ProcurementPlan, ProcurementRequirement } from '../domain.ts';
import { PlannerError } from '../errors.ts';
import { nearestId } from '../input/nearest-id.ts';

/** What a manager names: every ordering line of these suppliers, and these lines. */
export interface LineSelection {
  supplierIds?: readonly string[];
  ingredientIds?: readonly string[];
}

const ordering = (plan: ProcurementPlan): ProcurementRequirement[] =>
  plan.requirements.filter((line) => line.orderQuantity > 0);

/** The ordering lines nobody has signed off yet. */
export function linesAwaitingApproval(plan: ProcurementPlan): ProcurementRequirement[] {
  const approved = new Set((plan.approvedLines ?? []).map((a) => a.ingredientId));
  return ordering(plan).filter((line) => !approved.has(line.ingredientId));
}

function unknownName(field: string, id: string, known: readonly string[], what: string, plan: ProcurementPlan) {
  const near = nearestId(id, known);
  const listed = known.length ? known.join(', ') : 'none';
  return new PlannerError(
    'invalid',
    `${field}: "${id}" ${what} in plan ${plan.planId}${near ? ` (did you mean "${near}"?)` : ''}; ${
      field === 'supplierIds' ? `it orders from ${listed}` : `its lines are ${listed}`
    }.`,
    { field },
  );
}

/**
 * The ingredient ids of the ordering lines a selection names, in the plan's order. Throws on a supplier
 * the plan orders nothing from, on a line that is not in the plan, and on a line that orders nothing.
 */
export function selectedLines(plan: ProcurementPlan, selection: LineSelection): string[] {
  const lines = ordering(plan);
  const suppliers = [...new Set(lines.flatMap((line) => (line.supplierId ? [line.supplierId] : [])))];
  const chosen = new Set<string>();
  for (const supplierId of selection.supplierIds ?? []) {
    if (!suppliers.includes(supplierId))
      throw unknownName('supplierIds', supplierId, suppliers, 'has no order line', plan);
    for (const line of lines) if (line.supplierId === supplierId) chosen.add(line.ingredientId);
  }
  for (const ingredientId of selection.ingredientIds ?? []) {
    const line = plan.requirements.find((r) => r.ingredientId === ingredientId);
    if (!line)
      throw unknownName(
        'ingredientIds',
        ingredientId,
        plan.requirements.map((r) => r.ingredientId),
        'is not a line',
        plan,
      );
    if (line.orderQuantity <= 0)
      throw new PlannerError(
        'invalid',
        `ingredientIds: "${ingredientId}" orders nothing in plan ${plan.planId}; only lines that order something are approved.`,
        { field: 'ingredientIds' },
      );
    chosen.add(ingredientId);
  }
  if (chosen.size === 0)
    throw new PlannerError('invalid', 'Name at least one supplier (supplierIds) or order line (ingredientIds).', {
      field: 'supplierIds',
    });
  return lines.map((line) => line.ingredientId).filter((id) => chosen.has(id));
}

/**
 * The sign-offs a new version keeps: those of lines whose order quantity and supplier did not change
 * (a changed line is a new decision).
 */
export function approvalsKept(
  plan: ProcurementPlan,
  requirements: readonly ProcurementRequirement[],
): LineApproval[] | undefined {
  const before = new Map(plan.requirements.map((line) => [line.ingredientId, line]));
  const kept = (plan.approvedLines ?? []).filter((approval) => {
    const was = before.get(approval.ingredientId);
    const now = requirements.find((line) => line.ingredientId === approval.ingredientId);
    return was && now && now.orderQuantity === was.orderQuantity && now.supplierId === was.supplierId;
  });
  return kept.length ? kept : undefined;
}
