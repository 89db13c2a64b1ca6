// Purchase orders as use cases: read a plan version's orders per supplier, and send them — which is
// marking the plan ordered (its lines become open orders; approved → in execution, once) and mailing
// each supplier with an address its order. A plan already ordered can be sent again (a supplier who
// lost the mail); one not approved cannot be sent at all.
import type { Catalog, ProcurementPlan, Tenant } from '../domain.ts';
import { PlannerError } from '../errors.ts';
import { type PurchaseOrder, purchaseOrderMail, purchaseOrdersOf } from '../planning/purchase-orders.ts';
import type { PlannerPorts } from '../ports.ts';
import { localDateAt } from '../time/tenant-clock.ts';
import { SENTENCES } from '../words/sentences.ts';
import { changeProcurementStatus, loadProcurementPlan, type PlanRef } from './plan-review.ts';

/** A plan's orders, dated the day it was marked ordered (today, until it is). */
function ordersOf(ports: PlannerPorts, tenant: Tenant, plan: ProcurementPlan, catalog: Catalog): PurchaseOrder[] {
  const ordered = plan.history.find((h) => h.to === 'in_execution');
  const orderedOn = localDateAt(ordered?.at ?? ports.now(), tenant.timezone);
  return purchaseOrdersOf(plan, catalog, { tenantId: tenant.tenantId, name: tenant.name }, orderedOn);
}

/** The plan and the catalog its orders are read with, in one round. */
const planAndCatalog = (ports: PlannerPorts, tenant: Tenant, ref: PlanRef) =>
  Promise.all([loadProcurementPlan(ports, ref), ports.catalog.getCatalog(tenant.tenantId)]);

/** The purchase orders of a plan version, dated as if placed today (the day it was marked ordered, once ordered). */
export async function purchaseOrders(ports: PlannerPorts, tenant: Tenant, ref: PlanRef): Promise<PurchaseOrder[]> {
  const [{ plan }, catalog] = await planAndCatalog(ports, tenant, ref);
  return ordersOf(ports, tenant, plan, catalog);
}

export interface SentPurchaseOrders {
  status: string;
  sent: { number: string; supplierId: string; to: string; messageId: string }[];
  /** Suppliers without an e-mail address (or when no sender is configured): send these yourself. */
  notSent: { number: string; supplierId: string; reason: string }[];
}

export async function sendPurchaseOrders(
  ports: PlannerPorts,
  tenant: Tenant,
  ref: PlanRef & { by: string },
): Promise<SentPurchaseOrders> {
  const [{ plan: stored }, catalog] = await planAndCatalog(ports, tenant, ref);
  if (stored.status !== 'approved' && stored.status !== 'in_execution')
    throw new PlannerError(
      'conflict',
      `Plan ${stored.planId} is ${stored.status.replace('_', ' ')}: only an approved plan's orders are sent (approve it first).`,
      { currentStatus: stored.status },
    );
  if (ports.mailer.unavailable) throw new PlannerError('unavailable', ports.mailer.unavailable);
  // The status change answers the plan as it now is: its orders are read from it, not loaded again.
  const plan =
    stored.status === 'approved'
      ? (await changeProcurementStatus(ports, { ...ref, to: 'in_execution', reason: SENTENCES.ordersSent })).plan
      : stored;
  const sent: SentPurchaseOrders['sent'] = [];
  const notSent: SentPurchaseOrders['notSent'] = [];
  for (const order of ordersOf(ports, tenant, plan, catalog)) {
    const to = order.supplier.contact?.email;
    const base = { number: order.number, supplierId: order.supplier.supplierId };
    if (!to) {
      notSent.push({ ...base, reason: SENTENCES.noAddress });
      continue;
    }
    try {
      const { messageId } = await ports.mailer.send({ to, ...purchaseOrderMail(order, tenant.locale) });
      sent.push({ ...base, to, messageId });
    } catch (error) {
      ports.log.warn('A purchase order could not be mailed', { tenantId: tenant.tenantId, ...base, error });
      notSent.push({ ...base, reason: `the mail failed (${(error as Error).message}); send it again` });
    }
  }
  ports.log.info('Purchase orders sent', { tenantId: tenant.tenantId, planId: plan.planId, sent: sent.length });
  return { status: plan.status, sent, notSent };
}
