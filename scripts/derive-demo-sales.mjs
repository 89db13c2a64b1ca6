// Derives the project's compact copy of the French bakery sales (units per product per open day)
// from the shared CSV, where revenue is in EUR: units = round(y / unit_price). Run once by hand:
//   node scripts/derive-demo-sales.mjs ../shared/data/french-bakery-daily/daily_sales_french_bakery.csv
import { readFileSync, writeFileSync } from 'node:fs';

const [csvPath, outPath = 'data/demo/french-bakery-units.json', topArg = '30'] = process.argv.slice(2);
if (!csvPath) {
  console.error('usage: node scripts/derive-demo-sales.mjs <daily_sales_french_bakery.csv> [out.json] [topN]');
  process.exit(2);
}
const rows = readFileSync(csvPath, 'utf8')
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [name, date, revenue, price] = line.split(',');
    return { name, date, revenue: Number(revenue), price: Number(price) };
  });
const dates = [...new Set(rows.map((r) => r.date))].sort();
const revenueByDate = new Map(dates.map((d) => [d, 0]));
const unitsByProduct = new Map();
const priceByProduct = new Map();
for (const r of rows) {
  revenueByDate.set(r.date, revenueByDate.get(r.date) + r.revenue);
  if (!(r.price > 0)) continue;
  if (!unitsByProduct.has(r.name)) unitsByProduct.set(r.name, new Map());
  unitsByProduct.get(r.name).set(r.date, Math.max(0, Math.round(r.revenue / r.price)));
  priceByProduct.set(r.name, r.price);
}
// A day with no sales at all is a closure: missing demand, not zero demand.
const closedDates = dates.filter((d) => revenueByDate.get(d) === 0);
const total = (m) => [...m.values()].reduce((a, b) => a + b, 0);
const top = [...unitsByProduct.entries()].sort((a, b) => total(b[1]) - total(a[1])).slice(0, Number(topArg));
const out = {
  source: 'French bakery daily sales (public data set); units = revenue / unit_price, rounded',
  firstDate: dates[0],
  lastDate: dates.at(-1),
  closedDates,
  products: top.map(([name, byDate]) => ({
    name,
    unitPriceEur: priceByProduct.get(name),
    // One entry per calendar day from firstDate; closure days hold null.
    units: dates.map((d) => (closedDates.includes(d) ? null : (byDate.get(d) ?? 0))),
  })),
};
writeFileSync(outPath, `${JSON.stringify(out)}\n`);
console.log(`wrote ${outPath}: ${out.products.length} products × ${dates.length} days, ${closedDates.length} closures`);
