// Approval by supplier or by line: a selection names exactly the ordering lines of its suppliers and
// its lines; what is still to approve shrinks by what was signed off; a new version keeps exactly the
// sign-offs of the lines it left alone.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProcurementPlan } from '../../lib/domain.ts';
import { approvalsKept, linesAwaitingApproval, selectedLines } from '../../lib/workflow/line-approvals.ts';

const SUPPLIERS = ['mill', 'dairy', 'eggs', null] as const;

/** A plan of 1–12 lines, each from one of three suppliers (or none), some ordering nothing. */
const plans = fc
  .array(fc.record({ supplier: fc.constantFrom(...SUPPLIERS), quantity: fc.constantFrom(0, 5, 25, 40) }), {
    minLength: 1,
    maxLength: 12,
  })
  .map(
    (lines) =>
      ({
        planId: 'proc-x-2026-12-02-v1',
        requirements: lines.map((line, i) => ({
          ingredientId: `ing-${i}`,
          supplierId: line.supplier,
          orderQuantity: line.quantity,
        })),
      }) as unknown as ProcurementPlan,
  );

const orderingIds = (plan: ProcurementPlan) =>
  plan.requirements.filter((l) => l.orderQuantity > 0).map((l) => l.ingredientId);

describe('approval by supplier or by line', () => {
  it('selects every ordering line of the named suppliers and the named lines, in the plan order, once', () => {
    fc.assert(
      fc.property(plans, fc.infiniteStream(fc.boolean()), (plan, coin) => {
        const ordering = plan.requirements.filter((l) => l.orderQuantity > 0);
        const suppliers = [...new Set(ordering.flatMap((l) => (l.supplierId ? [l.supplierId] : [])))].filter(
          () => coin.next().value,
        );
        const lines = ordering.map((l) => l.ingredientId).filter(() => coin.next().value);
        if (suppliers.length + lines.length === 0) {
          expect(() => selectedLines(plan, {})).toThrow(/at least one/);
          return;
        }
        const chosen = selectedLines(plan, { supplierIds: suppliers, ingredientIds: lines });
        const expected = ordering
          .filter((l) => lines.includes(l.ingredientId) || (l.supplierId && suppliers.includes(l.supplierId)))
          .map((l) => l.ingredientId);
        expect(chosen).toEqual(expected);
        // Signed off, they leave what waits; the rest of the ordering lines still wait.
        const signed = { ...plan, approvedLines: chosen.map((ingredientId) => ({ ingredientId, by: 'u', at: 't' })) };
        expect(linesAwaitingApproval(signed).map((l) => l.ingredientId)).toEqual(
          orderingIds(plan).filter((id) => !chosen.includes(id)),
        );
      }),
    );
  });

  it('refuses a line that orders nothing and a supplier with no ordering line', () => {
    fc.assert(
      fc.property(plans, (plan) => {
        for (const line of plan.requirements.filter((l) => l.orderQuantity === 0))
          expect(() => selectedLines(plan, { ingredientIds: [line.ingredientId] })).toThrow(/orders nothing/);
        const ordering = new Set(plan.requirements.filter((l) => l.orderQuantity > 0).map((l) => l.supplierId));
        for (const supplier of SUPPLIERS)
          if (supplier && !ordering.has(supplier))
            expect(() => selectedLines(plan, { supplierIds: [supplier] })).toThrow(/has no order line/);
      }),
    );
  });

  it('keeps in a new version exactly the sign-offs of lines whose quantity and supplier did not change', () => {
    fc.assert(
      fc.property(plans, fc.infiniteStream(fc.boolean()), (plan, coin) => {
        const approvedLines = orderingIds(plan)
          .filter(() => coin.next().value)
          .map((ingredientId) => ({ ingredientId, by: 'u', at: 't' }));
        const changed = new Set(plan.requirements.map((l) => l.ingredientId).filter(() => coin.next().value));
        const next = plan.requirements.map((l) =>
          changed.has(l.ingredientId) ? { ...l, orderQuantity: l.orderQuantity + 1 } : l,
        );
        const kept = approvalsKept({ ...plan, approvedLines }, next) ?? [];
        expect(kept).toEqual(approvedLines.filter((a) => !changed.has(a.ingredientId)));
      }),
    );
  });
});
