// `planner templates`: the example bakery of docs/templates written for a new bakery to start from —
// its dates moved so that the sales end yesterday in the bakery's zone (and the stock's lots and open
// order keep their distance to them), its prices in the bakery's currency. The guide then runs the
// same today as next year, in pesos as in euros.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { roughUnitsPerEur } from '../money.ts';
import { addDays, daysBetween, type LocalDate } from '../time/tenant-clock.ts';

const TEMPLATES = fileURLToPath(new URL('../../docs/templates/', import.meta.url));
const MONEY_FIELDS = new Set(['unitPrice', 'unitCost', 'salvageValue']);

/** Two significant figures: 20 pesos, 1,000 pesos, 0.6 euros, never 19.87. */
const roundPrice = (amount: number) => {
  if (amount === 0) return 0;
  const step = 10 ** (Math.floor(Math.log10(Math.abs(amount))) - 1);
  return Math.round(amount / step) * step;
};

function convertPrices(value: unknown, rate: number): unknown {
  if (Array.isArray(value)) return value.map((item) => convertPrices(item, rate));
  if (value && typeof value === 'object')
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key,
        MONEY_FIELDS.has(key) && typeof inner === 'number'
          ? Number(roundPrice(inner * rate).toPrecision(12))
          : convertPrices(inner, rate),
      ]),
    );
  return value;
}

/**
 * The template files for a bakery whose today is `today`, priced in `currency` (the templates are in
 * euros; a currency without a known rough rate keeps their figures, with a note).
 */
export function bakeryTemplates(
  today: LocalDate,
  currency: string,
): { files: Record<string, string>; notes: string[] } {
  const read = (name: string) => readFileSync(`${TEMPLATES}${name}`, 'utf8');
  const sales = read('sales.csv');
  const lastSalesDay = [...sales.matchAll(/\d{4}-\d\d-\d\d/g)]
    .map((m) => m[0])
    .sort()
    .at(-1)!;
  const shift = daysBetween(lastSalesDay, addDays(today, -1));
  const moved = (text: string) => text.replace(/\b\d{4}-\d\d-\d\d\b/g, (date) => addDays(date, shift));
  const rate = roughUnitsPerEur(currency);
  const catalog = JSON.parse(read('catalog.json')) as unknown;
  const notes = rate
    ? []
    : [`Prices are the templates' euro figures: no rough rate is known for ${currency}; put your own prices in.`];
  return {
    files: {
      'catalog.json': `${JSON.stringify(convertPrices(catalog, rate ?? 1), null, 2)}\n`,
      'stock.csv': moved(read('stock.csv')),
      'stock.json': moved(read('stock.json')),
      'sales.csv': moved(sales),
    },
    notes,
  };
}
