// The plan commands: list a tenant's plans, show one (a table of orders by supplier, or of batches),
// approve or reject a procurement plan version, through the same API as the review page.
import { writeFileSync } from 'node:fs';
import { type Command, InvalidArgumentError } from 'commander';
import type { SentPurchaseOrders } from '../app/purchase-orders.ts';
import { PROCUREMENT_STATUSES, PRODUCTION_STATUSES } from '../domain.ts';
import { DEFAULT_CURRENCY, formatMoney } from '../money.ts';
import type { DailyActual } from '../planning/actuals.ts';
import type { PlanQuality } from '../planning/plan-quality.ts';
import type { PrepTask } from '../planning/prep-sheet.ts';
import type { PurchaseOrder } from '../planning/purchase-orders.ts';
import { renderTable } from '../text-table.ts';
import { type Translate, translator } from '../words/words.ts';
import type {
  LinesApproved,
  PlanList,
  StatusChanged,
  StoredProcurementPlan,
  StoredProductionSchedule,
  Tenant,
} from './api-answers.ts';
import { type ApiClientOptions, apiCall, apiText } from './api-client.ts';
import { calendarDateArg, choiceArg, idArg, idListArg, positiveInteger } from './arguments.ts';

type Connect = (command: Command) => Command;
type Connection<O> = (options: O, tenant?: string) => ApiClientOptions;
const print = (value: unknown) => console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));

/**
 * The version of a date's procurement plan to show or decide when none is named: the newest (after a
 * rejection or a modification, v1 is no longer the live one). No plan that day: an error that says
 * which dates have one.
 */
async function liveVersion(connection: ApiClientOptions, tenant: string, date: string): Promise<number> {
  const { plans = [] } = await apiCall<PlanList>(
    connection,
    'GET',
    `/tenants/${tenant}/procurement-plans?from=${date}&to=${date}`,
  );
  if (plans.length > 0) return Math.max(...plans.map((p) => p.version));
  const { plans: all = [] } = await apiCall<PlanList>(connection, 'GET', `/tenants/${tenant}/procurement-plans`);
  const dates = [...new Set(all.map((p) => p.planDate))].sort().slice(-5);
  throw new Error(
    `No procurement plan for ${tenant} on ${date}. ${
      dates.length
        ? `Its latest plan dates: ${dates.join(', ')}.`
        : 'It has none yet: plans are made at 06:00 local, or now with `planner run --job procurement`.'
    }`,
  );
}

/** The options naming one procurement plan version: --tenant, --date and --version (default: the date's newest). */
const planVersionOptions = (command: Command) =>
  command
    .requiredOption('--tenant <id>', 'tenant id', idArg)
    .requiredOption('--date <YYYY-MM-DD>', 'plan date', calendarDateArg)
    .option('--version <n>', 'plan version (default: the newest of the date)', positiveInteger);

export function addPlanCommands<O extends object>(
  program: Command,
  withConnection: Connect,
  connection: Connection<O>,
): void {
  addPurchaseOrderCommand(program, withConnection, connection);
  addPrepSheetCommand(program, withConnection, connection);
  addQualityCommands(program, withConnection, connection);
  withConnection(program.command('plans').description("List a tenant's procurement plans (or --production schedules)."))
    .requiredOption('--tenant <id>', 'tenant id', idArg)
    .option('--status <status>', 'only plans in this status')
    .option('--production', 'production schedules instead', false)
    .action(async (o: O & { tenant: string; status?: string; production: boolean }) => {
      if (o.status) choiceArg(o.production ? PRODUCTION_STATUSES : PROCUREMENT_STATUSES)(o.status);
      const kind = o.production ? 'production-schedules' : 'procurement-plans';
      const body = await apiCall<PlanList>(
        connection(o, o.tenant),
        'GET',
        `/tenants/${o.tenant}/${kind}${o.status ? `?status=${o.status}` : ''}`,
      );
      const plans = body.plans ?? body.schedules ?? [];
      if (plans.length === 0)
        print(
          `No ${o.production ? 'production schedules' : 'procurement plans'}${o.status ? ` in status ${o.status}` : ''} for tenant ${o.tenant}.`,
        );
      for (const p of plans)
        print(`${p.planDate}  v${p.version}  ${p.status.padEnd(16)} rev ${p.revision}  ${p.planId}`);
    });

  planVersionOptions(
    withConnection(
      program.command('show').description('Show one procurement plan version (or --production schedule).'),
    ),
  )
    .option('--production', 'the production schedule', false)
    .option('--json', 'the whole plan as JSON', false)
    .action(async (o: O & { tenant: string; date: string; version?: number; production: boolean; json: boolean }) => {
      if (o.production) {
        const path = `/tenants/${o.tenant}/production-schedules/${o.date}`;
        const schedule = await apiCall<StoredProductionSchedule>(connection(o, o.tenant), 'GET', path);
        return print(o.json ? schedule : scheduleLines(schedule).join('\n'));
      }
      const version = o.version ?? (await liveVersion(connection(o, o.tenant), o.tenant, o.date));
      const plan = await apiCall<StoredProcurementPlan>(
        connection(o, o.tenant),
        'GET',
        `/tenants/${o.tenant}/procurement-plans/${o.date}/versions/${version}`,
      );
      if (o.json) return print(plan);
      const tenant = await apiCall<Tenant>(connection(o, o.tenant), 'GET', `/tenants/${o.tenant}`);
      print(procurementLines(plan, tenant.locale, translator(tenant.locale)).join('\n'));
    });

  const moves = [
    ['approve', 'approved', 'Approve a procurement plan version.'],
    ['reject', 'rejected', 'Reject a procurement plan version (with --reason).'],
    ['ordered', 'in_execution', "Mark an approved plan's orders sent: its lines become open orders in the stock."],
    [
      'received',
      'completed',
      'Mark the goods of an ordered plan received: its open orders become ingredient lots (--received for what differs).',
    ],
    ['cancel', 'cancelled', 'Cancel a procurement plan version (an ordered one drops its open orders).'],
  ] as const;
  for (const [name, status, description] of moves) {
    planVersionOptions(withConnection(program.command(name).description(description)))
      .option('--reason <text>', 'why (required to reject; stale-data reasons regenerate the plan)')
      .option('--revision <n>', 'the revision you reviewed', positiveInteger)
      .option('--received <id=qty,…>', 'with received: what arrived where it differs from the order', receivedArg)
      .option('--supplier <ids>', "with approve: only these suppliers' lines (comma-separated)", idListArg)
      .option('--line <ids>', 'with approve: only these order lines, by ingredient id (comma-separated)', idListArg)
      .action(
        async (
          o: O & {
            tenant: string;
            date: string;
            version?: number;
            reason?: string;
            revision?: number;
            received?: { ingredientId: string; quantity: number }[];
            supplier?: string[];
            line?: string[];
          },
        ) => {
          if (status === 'rejected' && !o.reason?.trim()) throw new Error('A rejection needs --reason "<why>".');
          if (o.received && status !== 'completed') throw new Error('--received goes with planner received only.');
          if ((o.supplier || o.line) && status !== 'approved')
            throw new Error('--supplier and --line go with planner approve only.');
          const version = o.version ?? (await liveVersion(connection(o, o.tenant), o.tenant, o.date));
          if (o.supplier || o.line) {
            const result = await apiCall<LinesApproved>(
              connection(o, o.tenant),
              'POST',
              `/tenants/${o.tenant}/procurement-plans/${o.date}/versions/${version}/line-approvals`,
              {
                ...(o.supplier ? { supplierIds: o.supplier } : {}),
                ...(o.line ? { ingredientIds: o.line } : {}),
                ...(o.revision ? { expectedRevision: o.revision } : {}),
              },
            );
            return print(
              `${result.planId}: ${result.approved.length ? `approved ${result.approved.join(', ')}` : 'those lines were already approved'} — ${
                result.remaining === 0
                  ? `every order line approved: ${result.status}`
                  : `${result.remaining} line${result.remaining > 1 ? 's' : ''} still to approve`
              } (revision ${result.revision})`,
            );
          }
          const body = {
            status,
            ...(o.reason ? { reason: o.reason } : {}),
            ...(o.revision ? { expectedRevision: o.revision } : {}),
            ...(o.received ? { received: o.received } : {}),
          };
          const result = await apiCall<StatusChanged>(
            connection(o, o.tenant),
            'POST',
            `/tenants/${o.tenant}/procurement-plans/${o.date}/versions/${version}/status`,
            body,
          );
          print(
            `${result.planId}: ${result.status} (revision ${result.revision})${result.regeneration ? ` — regeneration requested: v${result.regeneration.job.version} is being built` : ''}`,
          );
        },
      );
  }
}

/** `planner actuals` and `planner quality`: what happened on the days, and how good their plans were. */
function addQualityCommands<O extends object>(
  program: Command,
  withConnection: Connect,
  connection: Connection<O>,
): void {
  const range = (command: Command) =>
    command
      .requiredOption('--tenant <id>', 'tenant id', idArg)
      .option('--from <YYYY-MM-DD>', 'first day (default: 27 days before --to)', calendarDateArg)
      .option('--to <YYYY-MM-DD>', 'last day', calendarDateArg)
      .option('--json', 'as JSON', false);
  const query = (o: { from?: string; to?: string }) => {
    const params = new URLSearchParams({ ...(o.from ? { from: o.from } : {}), ...(o.to ? { to: o.to } : {}) });
    return params.size ? `?${params}` : '';
  };
  type RangeOptions = O & { tenant: string; from?: string; to?: string; json: boolean };
  range(
    withConnection(program.command('actuals').description('The actuals recorded (default: the last 28 days).')),
  ).action(async (o: RangeOptions) => {
    const body = await apiCall<{ actuals: DailyActual[] }>(
      connection(o, o.tenant),
      'GET',
      `/tenants/${o.tenant}/actuals${query(o)}`,
    );
    if (o.json) return print(body);
    if (body.actuals.length === 0) return print(`No actuals recorded for ${o.tenant} in that range.`);
    print(
      renderTable(
        ['date', 'product', 'sold', 'left over', 'carried over', 'sold out'],
        body.actuals.map((a) => [
          a.date,
          a.productId,
          String(a.sold),
          String(a.leftover),
          String(a.carriedOver),
          a.soldOutAt ?? '',
        ]),
        new Set([2, 3, 4]),
      ).join('\n'),
    );
  });
  range(
    withConnection(
      program
        .command('quality')
        .description(
          "How good each day's plan was against its actuals, or its sales where none were recorded (default: the 28 days through yesterday).",
        ),
    ),
  ).action(async (o: RangeOptions) => {
    const api = connection(o, o.tenant);
    const body = await apiCall<{ days: PlanQuality[] }>(api, 'GET', `/tenants/${o.tenant}/plan-quality${query(o)}`);
    if (o.json) return print(body);
    if (body.days.length === 0)
      return print(
        `No day in that range has both a plan and actuals for ${o.tenant}: record them with import-actuals.`,
      );
    const tenant = await apiCall<Tenant>(api, 'GET', `/tenants/${o.tenant}`);
    const money = (amount: number | null) =>
      amount === null ? '—' : formatMoney(amount, tenant.currency ?? DEFAULT_CURRENCY, tenant.locale);
    const share = (value: number | null) => (value === null ? '—' : `${Math.round(value * 1000) / 10} %`);
    print(
      renderTable(
        [
          'date',
          'from',
          'score',
          'WAPE',
          'bias',
          'waste',
          'fill rate',
          'lost',
          'sold out',
          'profit',
          'last week',
          'perfect',
        ],
        body.days.map((d) => [
          d.date,
          d.basis,
          share(d.score),
          share(d.wape),
          share(d.bias),
          `${d.wasteUnits} (${money(d.wasteCost)})`,
          share(d.fillRate),
          String(d.lostSales),
          String(d.soldOut),
          money(d.profit.realized),
          money(d.profit.lastWeek),
          money(d.profit.perfect),
        ]),
        new Set([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]),
      ).join('\n'),
    );
  });
}

/** `planner prep-sheet`: what the baker makes when, with the weights, the evening before's preps first. */
function addPrepSheetCommand<O extends object>(
  program: Command,
  withConnection: Connect,
  connection: Connection<O>,
): void {
  withConnection(
    program
      .command('prep-sheet')
      .description("The baker's prep sheet of a day: each batch with its weights, doughs and preferments before it."),
  )
    .requiredOption('--tenant <id>', 'tenant id', idArg)
    .requiredOption('--date <YYYY-MM-DD>', 'plan date', calendarDateArg)
    .option('--json', 'as JSON', false)
    .action(async (o: O & { tenant: string; date: string; json: boolean }) => {
      const sheet = await apiCall<{ tasks: PrepTask[] }>(
        connection(o, o.tenant),
        'GET',
        `/tenants/${o.tenant}/production-schedules/${o.date}/prep-sheet`,
      );
      if (o.json) return print(sheet);
      const tenant = await apiCall<Tenant>(connection(o, o.tenant), 'GET', `/tenants/${o.tenant}`);
      const _ = translator(tenant.locale);
      const number = new Intl.NumberFormat(tenant.locale, { maximumFractionDigits: 3 });
      const amount = (q: number, unit: string) =>
        unit === 'unit' ? _('{n} pcs', { n: Math.round(q) }) : `${number.format(q)} ${unit}`;
      print(
        renderTable(
          ['Start', 'Make', 'Weights', 'Batch'].map((h) => _(h)),
          sheet.tasks.map((t) => [
            `${t.day === o.date ? '' : `${t.day} `}${t.startsAt}`,
            `${t.name} ${amount(t.quantity, t.unit)}${t.kind === 'prep' ? ` ${_('(prep)')}` : ''}`,
            t.weights.map((w) => `${w.name} ${amount(w.quantity, w.unit)}`).join(', '),
            t.batchNumber,
          ]),
        ).join('\n'),
      );
    });
}

/** `planner purchase-orders`: the plan's orders per supplier, as tables, a CSV file, or sent to the suppliers. */
function addPurchaseOrderCommand<O extends object>(
  program: Command,
  withConnection: Connect,
  connection: Connection<O>,
): void {
  planVersionOptions(
    withConnection(
      program
        .command('purchase-orders')
        .description(
          "A plan's purchase orders, one per supplier: printed, written as CSV (--csv), or sent to the suppliers (--send: marks the plan ordered).",
        ),
    ),
  )
    .option('--csv <file>', 'write them to this CSV file')
    .option('--send', 'e-mail each supplier its order (the plan must be approved; it becomes ordered)', false)
    .option('--json', 'as JSON', false)
    .action(
      async (o: O & { tenant: string; date: string; version?: number; csv?: string; send: boolean; json: boolean }) => {
        const api = connection(o, o.tenant);
        const version = o.version ?? (await liveVersion(api, o.tenant, o.date));
        const path = `/tenants/${o.tenant}/procurement-plans/${o.date}/versions/${version}/purchase-orders`;
        if (o.send) {
          const result = await apiCall<SentPurchaseOrders>(api, 'POST', `${path}/send`);
          if (o.json) return print(result);
          print(`Plan ${o.date} v${version}: ${result.status.replace('_', ' ')}.`);
          for (const s of result.sent) print(`Sent ${s.number} to ${s.to}.`);
          for (const n of result.notSent) print(`Not sent: ${n.number} — ${n.reason}.`);
          return;
        }
        if (o.csv) {
          writeFileSync(o.csv, await apiText(api, `${path}.csv`));
          return print(`Wrote ${o.csv}.`);
        }
        const { purchaseOrders } = await apiCall<{ purchaseOrders: PurchaseOrder[] }>(api, 'GET', path);
        if (o.json) return print(purchaseOrders);
        const tenant = await apiCall<Tenant>(api, 'GET', `/tenants/${o.tenant}`);
        const _ = translator(tenant.locale);
        const number = new Intl.NumberFormat(tenant.locale, { maximumFractionDigits: 3 });
        for (const po of purchaseOrders) {
          const money = (amount: number) => formatMoney(amount, po.currency, tenant.locale);
          const contact = [po.supplier.contact?.email, po.supplier.contact?.phone].filter(Boolean).join(' · ');
          print(
            `${po.number} · ${po.supplier.name}${contact ? ` (${contact})` : ''} · ${_('delivery {day}', { day: po.deliverOn })} · ${money(po.total)}`,
          );
          print(
            renderTable(
              ['Ingredient', 'Quantity', 'Unit price', 'Cost'].map((h) => _(h)),
              po.lines.map((l) => [
                l.name,
                `${number.format(l.quantity)} ${l.unit}`,
                money(l.unitPrice),
                money(l.cost),
              ]),
              new Set([1, 2, 3]),
            ).join('\n'),
          );
          print('');
        }
        if (purchaseOrders.length === 0) print(_('Nothing to order in this plan.'));
      },
    );
}

/** `flour=25,butter=4.5`: what arrived per ingredient. */
function receivedArg(value: string): { ingredientId: string; quantity: number }[] {
  return value.split(',').map((pair) => {
    const match = /^\s*([A-Za-z0-9_.-]{1,64})\s*=\s*(\d+(?:\.\d+)?)\s*$/.exec(pair);
    if (!match) throw new InvalidArgumentError(`"${pair}" is not ingredient=quantity (e.g. flour=25).`);
    return { ingredientId: match[1]!, quantity: Number(match[2]) };
  });
}

/** A procurement plan at a glance: header, then one line per requirement, grouped by supplier. */
function procurementLines(plan: StoredProcurementPlan, locale: string, _: Translate): string[] {
  const money = (amount: number) => formatMoney(amount, plan.currency ?? DEFAULT_CURRENCY, locale);
  const signedOff = new Map((plan.approvedLines ?? []).map((a) => [a.ingredientId, a.by]));
  const rows = [...plan.requirements]
    .sort(
      (a, b) =>
        String(a.supplierId).localeCompare(String(b.supplierId)) ||
        String(a.orderDate).localeCompare(String(b.orderDate)),
    )
    .map((r) => [
      r.supplierId ?? '—',
      r.ingredientId,
      r.orderDate,
      r.needDate,
      `${r.orderQuantity} ${r.unit}`,
      money(r.estimatedCost),
      _(r.priority),
      signedOff.get(r.ingredientId) ?? '',
    ]);
  return [
    `${plan.planId} · ${_(plan.status.replace('_', ' '))} · ${_('revision {n}', { n: plan.revision })} · ${_('{n} lines', { n: plan.requirements.length })} · ${money(plan.totalCost)}`,
    ...renderTable(
      ['Supplier', 'Ingredient', 'Order by', 'Need by', 'Quantity', 'Cost', 'Priority', 'Approved'].map((h) => _(h)),
      rows,
      new Set([4, 5]),
    ),
  ];
}

/** A production schedule at a glance: header, then its batches in order. */
function scheduleLines(plan: StoredProductionSchedule): string[] {
  const rows = plan.batches.map((b) => [
    String(b.sequence),
    b.batchNumber,
    b.productId,
    String(b.quantity),
    b.equipmentId ?? '—',
    b.priority,
  ]);
  return [
    `${plan.planId} · ${plan.status} · ${plan.batches.length} batches · ${plan.shortfalls.length ? `${plan.shortfalls.length} shortfalls` : 'no shortfall'}`,
    ...renderTable(['#', 'batch', 'product', 'units', 'equipment', 'priority'], rows, new Set([0, 3])),
  ];
}
