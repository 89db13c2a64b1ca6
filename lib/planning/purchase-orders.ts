// Purchase orders: a procurement plan's order lines, one document per supplier — what to send, to
// whom, delivered when — as data, as CSV (one row per line, for a spreadsheet or an ERP) and as the
// text of an e-mail. Quantities and prices are the plan's; delivery days are the supplier's.
import type { Catalog, ProcurementPlan, Supplier } from '../domain.ts';
import { formatMoney } from '../money.ts';
import type { LocalDate } from '../time/tenant-clock.ts';
import { SENTENCES } from '../words/sentences.ts';
import { translator } from '../words/words.ts';
import { deliveryDate } from './deliveries.ts';

export interface PurchaseOrder {
  /** `PO-<planDate>-v<version>-<supplierId>`: one per supplier and plan version. */
  number: string;
  planId: string;
  bakery: { tenantId: string; name: string };
  supplier: Pick<Supplier, 'supplierId' | 'name' | 'contact' | 'orderCutoff'>;
  orderedOn: LocalDate;
  deliverOn: LocalDate;
  currency: string;
  lines: { ingredientId: string; name: string; quantity: number; unit: string; unitPrice: number; cost: number }[];
  total: number;
}

/** The plan's order lines with a supplier, one purchase order per supplier, placed on `orderedOn`. */
export function purchaseOrdersOf(
  plan: ProcurementPlan,
  catalog: Catalog,
  bakery: { tenantId: string; name: string },
  orderedOn: LocalDate,
): PurchaseOrder[] {
  const names = new Map(catalog.ingredients.map((i) => [i.ingredientId, i.name]));
  const orders = new Map<string, PurchaseOrder>();
  for (const line of plan.requirements) {
    const supplier = catalog.suppliers.find((s) => s.supplierId === line.supplierId);
    if (!supplier || line.orderQuantity <= 0) continue;
    const order = orders.get(supplier.supplierId) ?? {
      number: `PO-${plan.planDate}-v${plan.version}-${supplier.supplierId}`,
      planId: plan.planId,
      bakery,
      supplier: {
        supplierId: supplier.supplierId,
        name: supplier.name,
        ...(supplier.contact ? { contact: supplier.contact } : {}),
        ...(supplier.orderCutoff ? { orderCutoff: supplier.orderCutoff } : {}),
      },
      orderedOn,
      deliverOn: deliveryDate(supplier, orderedOn),
      currency: plan.currency,
      lines: [],
      total: 0,
    };
    order.lines.push({
      ingredientId: line.ingredientId,
      name: names.get(line.ingredientId) ?? line.ingredientId,
      quantity: line.orderQuantity,
      unit: line.unit,
      unitPrice: line.unitPrice,
      cost: line.estimatedCost,
    });
    order.total = Math.round((order.total + line.estimatedCost) * 100) / 100;
    orders.set(supplier.supplierId, order);
  }
  return [...orders.values()].sort((a, b) => a.supplier.name.localeCompare(b.supplier.name));
}

const CSV_COLUMNS = [
  'poNumber',
  'supplierId',
  'supplierName',
  'deliverOn',
  'ingredientId',
  'ingredientName',
  'quantity',
  'unit',
  'unitPrice',
  'cost',
  'currency',
] as const;

/** A CSV cell: quoted when it holds a separator or quote, and never read as a formula by a spreadsheet. */
function cell(value: string | number): string {
  let text = String(value);
  if (/^[=+\-@\t\r]/.test(text) && typeof value === 'string') text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function purchaseOrdersCsv(orders: readonly PurchaseOrder[]): string {
  const rows = orders.flatMap((o) =>
    o.lines.map((l) =>
      [
        o.number,
        o.supplier.supplierId,
        o.supplier.name,
        o.deliverOn,
        l.ingredientId,
        l.name,
        l.quantity,
        l.unit,
        l.unitPrice,
        l.cost,
        o.currency,
      ]
        .map(cell)
        .join(','),
    ),
  );
  return `${[CSV_COLUMNS.join(','), ...rows].join('\n')}\n`;
}

/** The e-mail of one purchase order in the bakery's language: subject and plain text, dates, quantities and amounts in its locale. */
export function purchaseOrderMail(order: PurchaseOrder, locale: string): { subject: string; text: string } {
  const _ = translator(locale);
  const money = (amount: number) => formatMoney(amount, order.currency, locale);
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 3 });
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'full', timeZone: 'UTC' }).format(
    new Date(`${order.deliverOn}T00:00:00Z`),
  );
  const amounts = order.lines.map((l) => `${number.format(l.quantity)} ${l.unit}`);
  const width = Math.max(...order.lines.map((l) => l.name.length), 10);
  const name = order.supplier.contact?.name;
  return {
    subject: _(SENTENCES.mailSubject, { number: order.number, bakery: order.bakery.name, date }),
    text: [
      name ? _(SENTENCES.mailHelloName, { name }) : _(SENTENCES.mailHello),
      '',
      _(SENTENCES.mailOrders, { bakery: order.bakery.name, date }),
      '',
      ...order.lines.map(
        (l, i) => `  ${l.name.padEnd(width)}  ${amounts[i]!.padStart(12)}  × ${money(l.unitPrice)} = ${money(l.cost)}`,
      ),
      '',
      _(SENTENCES.mailTotal, { amount: money(order.total) }),
      '',
      _(SENTENCES.mailReference, { number: order.number, plan: order.planId }),
    ].join('\n'),
  };
}
