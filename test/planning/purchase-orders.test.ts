// Purchase orders: one per supplier with its lines and total, delivered on the supplier's day; as CSV a
// spreadsheet reads back exactly (quotes, commas, no formula injection); as an e-mail a supplier reads.
import { describe, expect, it } from 'vitest';
import type { Catalog, ProcurementPlan } from '../../lib/domain.ts';
import { purchaseOrderMail, purchaseOrdersCsv, purchaseOrdersOf } from '../../lib/planning/purchase-orders.ts';
import { smallCatalog } from '../support/bakery-fixtures.ts';

const catalog: Catalog = {
  ...smallCatalog(),
  ingredients: smallCatalog().ingredients.map((i) =>
    i.ingredientId === 'salt' ? { ...i, name: '=HYPERLINK("http://evil","salt, fine")' } : i,
  ),
  suppliers: smallCatalog().suppliers.map((s) =>
    s.supplierId === 'mill'
      ? { ...s, deliveryDays: ['mon', 'thu'], contact: { name: 'Ana', email: 'orders@mill.example' } }
      : s,
  ),
};
const line = (ingredientId: string, supplierId: string | null, orderQuantity: number, unitPrice: number) => ({
  ingredientId,
  supplierId,
  orderQuantity,
  unitPrice,
  unit: 'kg',
  estimatedCost: Math.round(orderQuantity * unitPrice * 100) / 100,
});
const plan = {
  planId: 'proc-a-2026-12-02-v2',
  planDate: '2026-12-02',
  version: 2,
  currency: 'EUR',
  requirements: [
    line('flour', 'mill', 50, 0.6),
    line('salt', 'mill', 3, 1),
    line('butter', 'dairy', 5, 9),
    line('yeast', null, 2, 0),
    line('sugar', 'dairy', 0, 2),
  ],
} as unknown as ProcurementPlan;

describe('purchase orders', () => {
  const orders = purchaseOrdersOf(plan, catalog, { tenantId: 'a', name: 'Boulangerie A' }, '2026-12-02');

  it('group the lines with a supplier and a quantity, one order per supplier, delivered on its day', () => {
    expect(orders.map((o) => [o.number, o.deliverOn, o.total, o.lines.map((l) => l.ingredientId)])).toEqual([
      ['PO-2026-12-02-v2-dairy', '2026-12-03', 45, ['butter']],
      // Wednesday + 2 days is Friday; the mill comes Mondays and Thursdays: Monday the 7th.
      ['PO-2026-12-02-v2-mill', '2026-12-07', 33, ['flour', 'salt']],
    ]);
    expect(orders[1]!.supplier.contact).toEqual({ name: 'Ana', email: 'orders@mill.example' });
  });

  it('as CSV: one row per line, quoted where needed, a formula never a formula', () => {
    const csv = purchaseOrdersCsv(orders);
    const rows = csv.trimEnd().split('\n');
    expect(rows[0]).toBe(
      'poNumber,supplierId,supplierName,deliverOn,ingredientId,ingredientName,quantity,unit,unitPrice,cost,currency',
    );
    expect(rows).toHaveLength(4);
    expect(rows[3]).toBe(
      `PO-2026-12-02-v2-mill,mill,Mill,2026-12-07,salt,"'=HYPERLINK(""http://evil"",""salt, fine"")",3,kg,1,3,EUR`,
    );
  });

  it('as an e-mail: who orders what for when, with the total and the reference', () => {
    const mail = purchaseOrderMail(orders[1]!, 'en-GB');
    expect(mail.subject).toBe(
      'Purchase order PO-2026-12-02-v2-mill from Boulangerie A: delivery Monday, 7 December 2026',
    );
    expect(mail.text).toContain('Hello Ana,');
    expect(mail.text).toContain('Boulangerie A orders the following for delivery on Monday, 7 December 2026:');
    expect(mail.text).toMatch(/Flour\s+50 kg {2}× €0\.60 = €30\.00/);
    expect(mail.text).toMatch(/Total: €33\.00/);
    expect(mail.text).toContain('Reference: PO-2026-12-02-v2-mill (plan proc-a-2026-12-02-v2).');
  });

  it("as an e-mail in the bakery's language, its dates, quantities and amounts in its locale", () => {
    const es = purchaseOrderMail(orders[1]!, 'es-ES');
    expect(es.subject).toBe('Pedido PO-2026-12-02-v2-mill de Boulangerie A: entrega el lunes, 7 de diciembre de 2026');
    expect(es.text).toContain('Hola, Ana:');
    expect(es.text).toMatch(/Flour\s+50 kg {2}× 0,60\s€ = 30,00\s€/);
    expect(es.text).toMatch(/Total: 33,00\s€/);
    expect(es.text).toContain('Referencia: PO-2026-12-02-v2-mill (plan proc-a-2026-12-02-v2).');
    expect(purchaseOrderMail(orders[1]!, 'de-DE').subject).toBe(
      'Bestellung PO-2026-12-02-v2-mill von Boulangerie A: Lieferung am Montag, 7. Dezember 2026',
    );
    expect(purchaseOrderMail(orders[1]!, 'fr-FR').text).toContain('Bonjour Ana,');
  });
});
