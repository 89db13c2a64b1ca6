// Plans: production schedules and procurement plans, their lists, versions, status changes (409 on an
// illegal move or a concurrent change) and modifications.

import { planQualityOver } from '../../app/plan-quality.ts';
import {
  approveProcurementLines,
  changeProcurementStatus,
  modifyProcurementPlan,
  PlanNotFoundError,
} from '../../app/plan-review.ts';
import { purchaseOrders, sendPurchaseOrders } from '../../app/purchase-orders.ts';
import { PROCUREMENT_STATUSES, PRODUCTION_STATUSES } from '../../domain.ts';
import { PlannerError } from '../../errors.ts';
import { prepSheet } from '../../planning/prep-sheet.ts';
import { purchaseOrdersCsv } from '../../planning/purchase-orders.ts';
import { FIRST_REVISION, type PlannerPorts } from '../../ports.ts';
import { addDays, localDateAt } from '../../time/tenant-clock.ts';
import {
  LinesApprovedAnswer,
  PlanAnswer,
  PlanListAnswer,
  PlanQualityAnswer,
  PrepSheetAnswer,
  PurchaseOrdersAnswer,
  ScheduleAnswer,
  ScheduleListAnswer,
  SentPurchaseOrdersAnswer,
  StatusChangedAnswer,
} from '../answers.ts';
import { type Route, route } from '../router.ts';
import { LineApprovalSchema, ModificationSchema, StatusChangeSchema } from '../schemas.ts';
import { DayRangeQuery, dateQuery, dayRange, PlanListQuery, ScheduleListQuery } from './query.ts';

const versionParam = (value: string | undefined) => Number(value);
const planRefOf = (params: { tenantId: string; planDate: string; version: string }) => ({
  tenantId: params.tenantId,
  planDate: params.planDate,
  version: versionParam(params.version),
});

/** The plan lists' filters: `status` one of the kind's statuses, `from`/`to` dates. */
function planFilter(query: Record<string, string | undefined>, statuses: readonly string[]) {
  if (query.status !== undefined && !statuses.includes(query.status)) {
    throw new PlannerError('invalid', `status: expected one of ${statuses.join(', ')}.`, { field: 'status' });
  }
  const from = dateQuery(query.from, 'from');
  const to = dateQuery(query.to, 'to');
  return <T extends { planDate: string; status: string }>(plans: T[]) =>
    plans.filter(
      (p) => (!query.status || p.status === query.status) && (!from || p.planDate >= from) && (!to || p.planDate <= to),
    );
}

export function planRoutes(ports: () => PlannerPorts): Route[] {
  return [
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/production-schedules',
      access: 'tenant',
      answer: { schema: ScheduleListAnswer },
      query: ScheduleListQuery,
      summary: 'Production schedules (summaries), optionally ?from=&to=&status=.',
      handle: async ({ params, query }) => {
        const filter = planFilter(query, PRODUCTION_STATUSES);
        return { body: { schedules: filter(await ports().plans.listPlanSummaries(params.tenantId, 'production')) } };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/production-schedules/{planDate}',
      access: 'tenant',
      answer: { schema: ScheduleAnswer },
      summary: 'One production schedule with its batches.',
      handle: async ({ params }) => {
        const stored = await ports().plans.getProductionSchedule(params.tenantId, params.planDate);
        if (!stored) throw new PlannerError('not_found', `No production schedule for ${params.planDate}.`);
        return { body: { ...stored.plan, revision: stored.revision } };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/production-schedules/{planDate}/prep-sheet',
      access: 'tenant',
      answer: { schema: PrepSheetAnswer },
      summary:
        "The baker's prep sheet of a schedule: every batch with the weights that go into it, and before it the sub-recipes (doughs, preferments) to make, each started its lead time (`prepLeadMinutes`) before — the evening before where that falls before midnight.",
      handle: async ({ params }) => {
        const [stored, catalog] = await Promise.all([
          ports().plans.getProductionSchedule(params.tenantId, params.planDate),
          ports().catalog.getCatalog(params.tenantId),
        ]);
        if (!stored) throw new PlannerError('not_found', `No production schedule for ${params.planDate}.`);
        return { body: prepSheet(stored.plan, catalog) };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/plan-quality',
      access: 'tenant',
      answer: { schema: PlanQualityAnswer },
      query: DayRangeQuery,
      summary:
        "How good each day's plan was against its actuals, for ?from=&to= (default: the 28 days through yesterday): forecast error (WAPE, bias) against demand (a sold-out product's estimated from when it sold out), waste in units and at cost, fill rate and lost sales, realized profit against baking last week's sales and against perfect foresight, and the score (realized as a share of perfect foresight's). A day nobody recorded is measured the next morning from its sales (`basis: \"sales\"`: what was there and did not sell taken as left over, a product that sold all there was as sold out); actuals recorded later replace that. Days without a schedule, or with neither actuals nor a morning's measure, are left out.",
      handle: async ({ query, tenant }) => {
        const { from, to } = dayRange(query, addDays(localDateAt(ports().now(), tenant.timezone), -1));
        return { body: { from, to, days: await planQualityOver(ports(), tenant, from, to) } };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/procurement-plans',
      access: 'tenant',
      answer: { schema: PlanListAnswer },
      query: PlanListQuery,
      summary: 'Procurement plans (summaries), optionally ?status=&from=&to=.',
      handle: async ({ params, query }) => {
        const filter = planFilter(query, PROCUREMENT_STATUSES);
        return { body: { plans: filter(await ports().plans.listPlanSummaries(params.tenantId, 'procurement')) } };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}',
      access: 'tenant',
      answer: { schema: PlanAnswer },
      summary: 'One version of a procurement plan, with its history.',
      handle: async ({ params }) => {
        const stored = await ports().plans.getProcurementPlan(
          params.tenantId,
          params.planDate,
          versionParam(params.version),
        );
        if (!stored) throw new PlanNotFoundError(`Procurement plan v${params.version} of ${params.planDate}`);
        return { body: { ...stored.plan, revision: stored.revision } };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/purchase-orders',
      access: 'tenant',
      answer: { schema: PurchaseOrdersAnswer },
      summary:
        "The plan version's purchase orders, one per supplier: lines, total, the supplier's contact and the delivery day (its lead time and delivery days after the day it is ordered).",
      handle: async ({ params, tenant }) => ({
        body: { purchaseOrders: await purchaseOrders(ports(), tenant, planRefOf(params)) },
      }),
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/purchase-orders.csv',
      access: 'tenant',
      answer: { csv: true },
      summary:
        'The same purchase orders as CSV, one row per line (poNumber, supplierId, supplierName, deliverOn, ingredientId, ingredientName, quantity, unit, unitPrice, cost, currency).',
      handle: async ({ params, tenant }) => ({
        body: purchaseOrdersCsv(await purchaseOrders(ports(), tenant, planRefOf(params))),
        contentType: 'text/csv; charset=utf-8',
      }),
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/purchase-orders/send',
      access: 'tenant',
      answer: { schema: SentPurchaseOrdersAnswer },
      summary:
        "Send an approved plan's purchase orders: the plan is marked ordered (in execution; its lines become open orders) and each supplier with an e-mail address gets its order (SES in the cloud; a local outbox folder locally). An ordered plan can be sent again; `notSent` lists suppliers to send yourself. 503 when no sender is configured.",
      handle: async ({ params, tenant, caller }) => ({
        body: await sendPurchaseOrders(ports(), tenant, { ...planRefOf(params), by: caller.subject }),
      }),
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/status',
      access: 'tenant',
      answer: { schema: StatusChangedAnswer },
      summary:
        "Change the status (approve, reject with a reason, …); 409 on an illegal move or a concurrent change. `in_execution` (orders sent) makes the order lines open orders in the stock, arriving after each supplier's lead time; `completed` (goods received) makes them ingredient lots (`received` gives what arrived where it differs); `cancelled` while in execution removes its open orders.",
      body: StatusChangeSchema,
      handle: async ({ params, body: input, caller }) => {
        const result = await changeProcurementStatus(ports(), {
          tenantId: params.tenantId,
          planDate: params.planDate,
          version: versionParam(params.version),
          to: input.status,
          by: caller.subject,
          ...(input.reason ? { reason: input.reason } : {}),
          ...(input.expectedRevision ? { expectedRevision: input.expectedRevision } : {}),
          ...(input.received
            ? { received: Object.fromEntries(input.received.map((line) => [line.ingredientId, line.quantity])) }
            : {}),
        });
        return { body: { ...result.plan, revision: result.revision, regeneration: result.regeneration ?? null } };
      },
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/line-approvals',
      access: 'tenant',
      answer: { schema: LinesApprovedAnswer },
      summary:
        'Approve a waiting plan by supplier or by line: `supplierIds` signs off every line ordering from those suppliers, `ingredientIds` those lines. The last ordering line approves the plan (a `status_changed` event with `procurement.plan.lines_approved`); lines already approved are left as they are. 409 once the plan no longer waits or changed meanwhile.',
      body: LineApprovalSchema,
      handle: async ({ params, body: input, caller }) => {
        const result = await approveProcurementLines(ports(), {
          ...planRefOf(params),
          by: caller.subject,
          ...(input.supplierIds ? { supplierIds: input.supplierIds } : {}),
          ...(input.ingredientIds ? { ingredientIds: input.ingredientIds } : {}),
          ...(input.expectedRevision ? { expectedRevision: input.expectedRevision } : {}),
        });
        return {
          body: { ...result.plan, revision: result.revision, approved: result.approved, remaining: result.remaining },
        };
      },
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}/modifications',
      access: 'tenant',
      answer: { status: 201, schema: PlanAnswer },
      summary: 'Change order quantities: creates the next version and cancels this one.',
      body: ModificationSchema,
      handle: async ({ params, body: input, caller }) => {
        const plan = await modifyProcurementPlan(ports(), {
          tenantId: params.tenantId,
          planDate: params.planDate,
          version: versionParam(params.version),
          changes: input.changes,
          by: caller.subject,
          reason: input.reason,
          ...(input.expectedRevision ? { expectedRevision: input.expectedRevision } : {}),
        });
        return { status: 201, body: { ...plan, revision: FIRST_REVISION } };
      },
    }),
  ];
}
