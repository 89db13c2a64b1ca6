// A procurement plan's whole life through the API: approved, marked ordered (its lines become open
// orders the next morning counts), marked received (they become lots, in what arrived), or cancelled
// while ordered (its orders go) — and a status change that loses a race leaves the stock as it was.
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { createApiHandler } from '../../functions/api/handler.ts';
import type { ProcurementPlan } from '../../lib/domain.ts';
import { DEFAULT_REVIEW_DEADLINE } from '../../lib/jobs/job-table.ts';
import { apiEvent, tenantClaims } from '../support/api.ts';
import { PLAN_DATE, type PlannedApi, plannedApi, runJob } from '../support/planned-api.ts';

let api: PlannedApi;
const claims = tenantClaims('a');
const statusPath = `/tenants/a/procurement-plans/${PLAN_DATE}/versions/1/status`;
const move = (status: string, extra: Record<string, unknown> = {}) =>
  api.call('POST', statusPath, { claims, body: { status, ...extra } });
const planOf = async () => (await api.stack.ports.plans.getProcurementPlan('a', PLAN_DATE, 1))!.plan as ProcurementPlan;
const ordered = (plan: ProcurementPlan) => plan.requirements.filter((r) => r.orderQuantity > 0);

/** The procurement job of the next morning, 2026-11-29, through the worker: its plan. */
async function nextMorning(planned: PlannedApi): Promise<ProcurementPlan> {
  await runJob(planned, 'procurement', '2026-11-29', '2026-11-29T05:00:00Z');
  return (await planned.stack.ports.plans.getProcurementPlan('a', '2026-11-29', 1))!.plan as ProcurementPlan;
}

beforeEach(async () => {
  api = await plannedApi();
  api.stack.setNow(new Date('2026-11-28T08:00:00Z'));
});

describe('a procurement plan from approval to goods in', () => {
  it('marked ordered, its lines are open orders; the next morning counts them on order and orders less', async () => {
    const plan = await planOf();
    const lines = ordered(plan);
    expect(lines.length).toBeGreaterThan(0);
    const before = await api.stack.ports.stock.getStock('a');
    expect((await move('approved')).status).toBe(200);
    const sent = await move('in_execution');
    expect(sent).toMatchObject({ status: 200, body: { status: 'in_execution' } });
    const stock = await api.stack.ports.stock.getStock('a');
    const catalog = await api.stack.ports.catalog.getCatalog('a');
    const lead = new Map(catalog.suppliers.map((s) => [s.supplierId, s.leadTimeDays]));
    expect(stock.openOrders).toEqual([
      ...(before.openOrders ?? []),
      ...lines.map((line) => ({
        ingredientId: line.ingredientId,
        quantity: line.orderQuantity,
        arrivesOn: expect.stringMatching(/^2026-1[12]-\d\d$/),
        supplierId: line.supplierId,
        planId: plan.planId,
      })),
    ]);
    for (const order of stock.openOrders!.filter((o) => o.planId))
      expect(order.arrivesOn).toBe(
        new Date(Date.parse(`${PLAN_DATE}T00:00:00Z`) + lead.get(order.supplierId!)! * 86_400_000)
          .toISOString()
          .slice(0, 10),
      );
    // The next morning orders less than it would have without them: what is on its way counts.
    const withOrders = await nextMorning(api);
    const control = await plannedApi();
    await control.call('POST', statusPath, { claims, body: { status: 'approved' } });
    const without = await nextMorning(control);
    const quantity = (plan: ProcurementPlan, id: string) =>
      plan.requirements.find((r) => r.ingredientId === id)?.orderQuantity ?? 0;
    for (const line of lines)
      expect(quantity(withOrders, line.ingredientId)).toBeLessThanOrEqual(quantity(without, line.ingredientId));
    const total = (plan: ProcurementPlan) => plan.requirements.reduce((t, r) => t + r.orderQuantity, 0);
    expect(total(withOrders)).toBeLessThan(total(without));
  });

  it('marked received, the orders become lots dated by shelf life, in what arrived; twice changes nothing', async () => {
    const plan = await planOf();
    const [first, ...rest] = ordered(plan);
    await move('approved');
    await move('in_execution');
    const before = await api.stack.ports.stock.getStock('a');
    const got = await move('completed', { received: [{ ingredientId: first!.ingredientId, quantity: 1.5 }] });
    expect(got).toMatchObject({ status: 200, body: { status: 'completed' } });
    const stock = await api.stack.ports.stock.getStock('a');
    expect(stock.openOrders!.filter((o) => o.planId === plan.planId)).toEqual([]);
    const shelf = new Map(
      (await api.stack.ports.catalog.getCatalog('a')).ingredients.map((i) => [i.ingredientId, i.shelfLifeDays]),
    );
    const added = stock.ingredients.slice(before.ingredients.length);
    expect(added).toEqual(
      [{ ...first!, orderQuantity: 1.5 }, ...rest].map((line) => ({
        ingredientId: line.ingredientId,
        quantity: line.orderQuantity,
        expiresOn: new Date(Date.parse(`${PLAN_DATE}T00:00:00Z`) + shelf.get(line.ingredientId)! * 86_400_000)
          .toISOString()
          .slice(0, 10),
      })),
    );
    // The plan is completed: no second receipt.
    expect((await move('completed')).status).toBe(409);
    expect((await api.stack.ports.stock.getStock('a')).ingredients).toHaveLength(stock.ingredients.length);
  });

  it('refuses received quantities for a line not ordered, or with another move, and stores nothing', async () => {
    await move('approved');
    await move('in_execution');
    const before = await api.stack.ports.stock.getStock('a');
    const unknown = await move('completed', { received: [{ ingredientId: 'saffron', quantity: 1 }] });
    expect(unknown).toMatchObject({
      status: 400,
      body: { error: expect.stringContaining('saffron is not ordered in') },
    });
    const wrongMove = await move('cancelled', { received: [{ ingredientId: 'flour', quantity: 1 }] });
    expect(wrongMove).toMatchObject({ status: 400, body: { field: 'received' } });
    expect(await api.stack.ports.stock.getStock('a')).toEqual(before);
    expect((await planOf()).status).toBe('in_execution');
  });

  it('cancelled while ordered, its open orders go and the others stay', async () => {
    const plan = await planOf();
    const before = await api.stack.ports.stock.getStock('a');
    await move('approved');
    await move('in_execution');
    expect((await move('cancelled')).body.status).toBe('cancelled');
    expect(await api.stack.ports.stock.getStock('a')).toEqual(before);
    expect((await planOf()).history.map((h) => h.to)).toEqual(expect.arrayContaining(['in_execution', 'cancelled']));
    expect(plan.status).not.toBe('cancelled');
  });

  it('puts the stock back when the status change loses to a concurrent one (409)', async () => {
    await move('approved');
    const before = await api.stack.ports.stock.getStock('a');
    // The operator saw revision 1; the approval made it 2.
    const stale = await move('in_execution', { expectedRevision: 1 });
    expect(stale.status).toBe(409);
    expect(await api.stack.ports.stock.getStock('a')).toEqual(before);
  });
});

describe('purchase orders', () => {
  const poPath = `/tenants/a/procurement-plans/${PLAN_DATE}/versions/1/purchase-orders`;
  const withEmail = async () => {
    const catalog = await api.stack.ports.catalog.getCatalog('a');
    await api.stack.ports.catalog.putCatalog('a', {
      ...catalog,
      suppliers: catalog.suppliers.map((s, i) =>
        i === 0 ? { ...s, contact: { name: 'Ana', email: `orders@${s.supplierId}.example` } } : s,
      ),
    });
    return catalog.suppliers[0]!.supplierId;
  };

  it('are read per supplier, as JSON and CSV, for any version', async () => {
    const json = await api.call('GET', poPath, { claims });
    expect(json.status).toBe(200);
    const plan = await planOf();
    const lines = json.body.purchaseOrders.flatMap((o: { lines: unknown[] }) => o.lines);
    expect(lines).toHaveLength(ordered(plan).filter((l) => l.supplierId).length);
    // The CSV is not JSON: read it raw through the handler.
    const csv = await createApiHandler(() => api.stack.ports)(
      apiEvent('GET', `${poPath}.csv`, { claims }),
      {} as never,
    );
    expect(csv.headers?.['content-type']).toBe('text/csv; charset=utf-8');
    const rows = String(csv.body).trimEnd().split('\n');
    expect(rows[0]).toBe(
      'poNumber,supplierId,supplierName,deliverOn,ingredientId,ingredientName,quantity,unit,unitPrice,cost,currency',
    );
    expect(rows).toHaveLength(lines.length + 1);
  });

  it('are sent once the plan is approved: the plan is ordered and each supplier with an address gets its order', async () => {
    const mailed = await withEmail();
    const draft = await api.call('POST', `${poPath}/send`, { claims });
    expect(draft).toMatchObject({ status: 409, body: { error: expect.stringContaining('approve it first') } });
    await move('approved');
    const sent = await api.call('POST', `${poPath}/send`, { claims });
    expect(sent.status).toBe(200);
    expect(sent.body.status).toBe('in_execution');
    expect(sent.body.sent).toEqual([
      expect.objectContaining({ supplierId: mailed, to: `orders@${mailed}.example`, messageId: expect.any(String) }),
    ]);
    for (const skipped of sent.body.notSent)
      expect(skipped.reason).toBe('the supplier has no e-mail address in the catalog');
    expect((await planOf()).status).toBe('in_execution');
    expect((await api.stack.ports.stock.getStock('a')).openOrders?.some((o) => o.planId)).toBe(true);
    // Locally the mail is a file in the outbox, ready for any mail client.
    const eml = readFileSync(
      join(tmpdir(), `planner-outbox-${api.stack.tableName}`, `${sent.body.sent[0].messageId}.eml`),
      'utf8',
    );
    expect(eml).toContain(`To: orders@${mailed}.example`);
    // In the bakery's language (es-ES), the delivery day in its words.
    expect(eml).toMatch(/Subject: Pedido PO-2026-11-28-v1-\S+ de .*: entrega el \S+, \d+ de \S+ de 2026/);
    expect(eml).toContain('Hola, Ana:');
    // Sent again (a lost mail): the plan stays ordered, the order goes out again.
    const again = await api.call('POST', `${poPath}/send`, { claims });
    expect(again.body).toMatchObject({
      status: 'in_execution',
      sent: [expect.objectContaining({ supplierId: mailed })],
    });
  });

  it('say what to do when no sender is configured (503), and change nothing', async () => {
    await move('approved');
    const unavailable = {
      unavailable: 'No sender is configured for e-mail: download the purchase orders (CSV).',
      send: async () => {
        throw new Error('never called');
      },
    };
    const handler = createApiHandler(() => ({ ...api.stack.ports, mailer: unavailable }));
    const answer = await handler(apiEvent('POST', `${poPath}/send`, { claims }), {} as never);
    expect(answer.statusCode).toBe(503);
    expect(String(answer.body)).toContain('download the purchase orders (CSV)');
    expect((await planOf()).status).toBe('approved');
  });
});

describe('approval by supplier or by line', () => {
  const approvePath = `/tenants/a/procurement-plans/${PLAN_DATE}/versions/1/line-approvals`;
  const approveLines = (body: Record<string, unknown>, as = claims) =>
    api.call('POST', approvePath, { claims: as, body });
  const published = async (type: string) => {
    await api.stack.relay.pump();
    return api.stack.bus.published.filter((e) => e.detailType === type).map((e) => e.detail as Record<string, unknown>);
  };

  const awaitingReview = async () =>
    (
      await api.stack.ports.plans.tenantsAwaitingReview('Europe/Madrid', PLAN_DATE, DEFAULT_REVIEW_DEADLINE, 10)
    ).items.sort();

  it('signs off one supplier, then the rest line by line; the last line approves the plan in the same write', async () => {
    const plan = await planOf();
    const suppliers = [...new Set(ordered(plan).map((l) => l.supplierId))];
    expect(suppliers.length).toBeGreaterThan(1);
    const first = suppliers[0]!;
    const firstLines = ordered(plan)
      .filter((l) => l.supplierId === first)
      .map((l) => l.ingredientId);
    const rest = ordered(plan)
      .filter((l) => l.supplierId !== first)
      .map((l) => l.ingredientId);

    // Only the procurement plan waits for a person (the bakes are confirmed), so the review index holds it.
    const schedule = (await api.stack.ports.plans.plansOn('a', [PLAN_DATE])).find((p) => p.kind === 'production')!;
    await api.stack.ports.plans.changeStatus('a', schedule, 'confirmed', null);
    expect(await awaitingReview()).toEqual(['a', 'b']);

    const one = await approveLines({ supplierIds: [first], expectedRevision: 1 });
    expect(one).toMatchObject({
      status: 200,
      body: { status: 'draft', revision: 2, approved: firstLines, remaining: rest.length },
    });
    expect((await planOf()).approvedLines?.map((a) => a.ingredientId)).toEqual(firstLines);
    expect((await planOf()).approvedLines?.[0]?.by).toBe('user-of-a');
    // The same request again changes nothing (a double tap, a retry).
    expect((await approveLines({ supplierIds: [first] })).body).toMatchObject({ revision: 2, approved: [] });
    // An old revision is a conflict, named.
    expect((await approveLines({ ingredientIds: [rest[0]], expectedRevision: 1 })).status).toBe(409);

    for (const [i, id] of rest.entries()) {
      const answer = await approveLines({ ingredientIds: [id], expectedRevision: 2 + i });
      expect(answer.body).toMatchObject({ approved: [id], remaining: rest.length - i - 1 });
    }
    const approved = await planOf();
    expect(approved.status).toBe('approved');
    expect(approved.history.at(-1)).toMatchObject({
      from: 'draft',
      to: 'approved',
      reason: 'every order line approved',
    });
    // It no longer waits: nothing more to sign off, and the review index forgot it.
    expect((await approveLines({ ingredientIds: [rest[0]] })).status).toBe(409);
    expect(await awaitingReview()).toEqual(['b']);
    const lineEvents = await published('procurement.plan.lines_approved');
    expect(lineEvents.map((e) => e.remaining)).toEqual([rest.length, ...rest.map((_, i) => rest.length - i - 1)]);
    expect(await published('procurement.plan.status_changed')).toEqual([
      expect.objectContaining({ from: 'draft', to: 'approved', reason: 'every order line approved' }),
    ]);
    // Approved whole or line by line, the rest of its life is the same.
    expect((await move('in_execution')).body.status).toBe('in_execution');
  });

  it('refuses what the plan does not order, naming what it does, and writes nothing', async () => {
    const plan = await planOf();
    const notOrdered = plan.requirements.find((l) => l.orderQuantity === 0);
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ supplierIds: ['mil'] }, /supplierIds: "mil" has no order line in plan .* \(did you mean "mill"\?\)/],
      [
        { ingredientIds: ['floor'] },
        /ingredientIds: "floor" is not a line .*did you mean "flour".*its lines are flour/,
      ],
      [{}, /at least one supplier/],
      [{ ingredientIds: ['flour', 'flour'] }, /each at most once/],
      ...(notOrdered
        ? [[{ ingredientIds: [notOrdered.ingredientId] }, /orders nothing/] as [Record<string, unknown>, RegExp]]
        : []),
    ];
    for (const [body, message] of cases) {
      const answer = await approveLines(body);
      expect(answer.status, JSON.stringify(body)).toBe(400);
      expect(answer.body.error).toMatch(message);
    }
    expect(await approveLines({ ingredientIds: ['flour'] }, tenantClaims('b'))).toMatchObject({ status: 403 });
    expect(await api.stack.ports.plans.getProcurementPlan('a', PLAN_DATE, 1)).toMatchObject({
      revision: 1,
      plan: { status: 'draft' },
    });
    expect((await planOf()).approvedLines).toBeUndefined();
  });

  it('a new version from changed quantities keeps the sign-offs of the lines it did not change', async () => {
    const lines = ordered(await planOf());
    expect(lines.length).toBeGreaterThan(1);
    const [kept, changed] = lines;
    await approveLines({ ingredientIds: [kept!.ingredientId, changed!.ingredientId] });
    const modified = await api.call('POST', `/tenants/a/procurement-plans/${PLAN_DATE}/versions/1/modifications`, {
      claims,
      body: {
        changes: [{ ingredientId: changed!.ingredientId, orderQuantity: changed!.orderQuantity + 5 }],
        reason: 'more',
      },
    });
    expect(modified.status).toBe(201);
    expect(modified.body.approvedLines?.map((a: { ingredientId: string }) => a.ingredientId)).toEqual([
      kept!.ingredientId,
    ]);
    const v2 = (await api.stack.ports.plans.getProcurementPlan('a', PLAN_DATE, 2))!.plan;
    expect(v2.approvedLines?.map((a) => a.ingredientId)).toEqual([kept!.ingredientId]);
    expect(v2.status).toBe('draft');
  });
});
