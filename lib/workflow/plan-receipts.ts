// What a procurement plan's life does to the stock: marked ordered (in_execution), its lines become
// open orders tagged with the plan, so the next mornings count them as on order and do not order
// again; marked received (completed), those orders become ingredient lots dated by shelf life, in the
// quantities that arrived; cancelled while ordered, its open orders go. Each is idempotent: applied
// twice, the stock is the same.
import type { Catalog, OpenPurchaseOrder, ProcurementPlan, StockSnapshot } from '../domain.ts';
import { PlannerError } from '../errors.ts';
import { deliveryDate } from '../planning/deliveries.ts';
import { addDays, type LocalDate } from '../time/tenant-clock.ts';

const withoutPlan = (stock: StockSnapshot, planId: string): OpenPurchaseOrder[] =>
  (stock.openOrders ?? []).filter((order) => order.planId !== planId);

/** The plan's order lines as open orders, arriving on each supplier's first delivery day after its lead time. */
export function stockAfterOrdering(
  stock: StockSnapshot,
  plan: ProcurementPlan,
  catalog: Catalog,
  orderedOn: LocalDate,
): StockSnapshot {
  const suppliers = new Map(catalog.suppliers.map((s) => [s.supplierId, s]));
  const arrival = (supplierId: string | null) => {
    const supplier = supplierId ? suppliers.get(supplierId) : undefined;
    return supplier ? deliveryDate(supplier, orderedOn) : orderedOn;
  };
  const orders = plan.requirements
    .filter((line) => line.orderQuantity > 0)
    .map((line) => ({
      ingredientId: line.ingredientId,
      quantity: line.orderQuantity,
      arrivesOn: arrival(line.supplierId),
      ...(line.supplierId ? { supplierId: line.supplierId } : {}),
      planId: plan.planId,
    }));
  return { ...stock, openOrders: [...withoutPlan(stock, plan.planId), ...orders] };
}

/**
 * The plan's open orders received on `receivedOn`: each line's quantity (or what `received` says
 * arrived, 0 for nothing) becomes a lot expiring after the ingredient's shelf life.
 */
export function stockAfterReceipt(
  stock: StockSnapshot,
  plan: ProcurementPlan,
  catalog: Catalog,
  receivedOn: LocalDate,
  received: Readonly<Record<string, number>> = {},
): StockSnapshot {
  const lines = new Map(plan.requirements.map((line) => [line.ingredientId, line]));
  const unknown = Object.keys(received).filter((id) => !lines.get(id)?.orderQuantity);
  if (unknown.length)
    throw new PlannerError(
      'invalid',
      `received: ${unknown.join(', ')} ${unknown.length > 1 ? 'are' : 'is'} not ordered in ${plan.planId}; give only its order lines.`,
      { field: 'received' },
    );
  const shelfLife = new Map(catalog.ingredients.map((i) => [i.ingredientId, i.shelfLifeDays]));
  const lots = [...lines.values()]
    .filter((line) => line.orderQuantity > 0)
    .map((line) => ({
      ingredientId: line.ingredientId,
      quantity: received[line.ingredientId] ?? line.orderQuantity,
      expiresOn: addDays(receivedOn, shelfLife.get(line.ingredientId) ?? 0),
    }))
    .filter((lot) => lot.quantity > 0);
  // Applied twice, the lots would count twice: a plan's receipt is taken once, with its orders.
  const ordered = (stock.openOrders ?? []).some((order) => order.planId === plan.planId);
  return ordered
    ? { ...stock, ingredients: [...stock.ingredients, ...lots], openOrders: withoutPlan(stock, plan.planId) }
    : stock;
}

/** A cancelled plan's open orders are gone. */
export function stockAfterCancelling(stock: StockSnapshot, plan: ProcurementPlan): StockSnapshot {
  return { ...stock, openOrders: withoutPlan(stock, plan.planId) };
}
