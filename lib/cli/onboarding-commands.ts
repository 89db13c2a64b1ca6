// Onboarding a bakery from the command line: its catalog and its stock, from the templates in
// docs/templates (JSON, or CSV for the stock), through the same API as every other client.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from 'commander';
import { currencyCode } from '../input/grammar.ts';
import { stockFromCsv } from '../input/stock-csv.ts';
import { formatMoney } from '../money.ts';
import { renderTable } from '../text-table.ts';
import { addDays, localDateAt } from '../time/tenant-clock.ts';
import { canonicalZone } from '../time/zone-names.ts';
import type { Catalog, StockSnapshot, Tenant } from './api-answers.ts';
import type { ApiClientOptions } from './api-client.ts';
import { apiCall, apiExchange, sayAside } from './api-client.ts';
import { idArg } from './arguments.ts';
import { bakeryTemplates } from './templates.ts';

type Connect = (command: Command) => Command;
type Connection<O> = (options: O, tenant?: string) => ApiClientOptions;

function readJsonFile(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (error) {
    throw new Error(`${file} is not readable JSON: ${(error as Error).message}`);
  }
}

export function addOnboardingCommands<O extends object>(
  program: Command,
  withConnection: Connect,
  connection: Connection<O>,
): void {
  program
    .command('templates')
    .description(
      "Write the example bakery's catalog, stock and sales to a folder to start from: sales ending yesterday in the bakery's zone, prices in its currency.",
    )
    .requiredOption('--dir <folder>', 'where to write catalog.json, stock.csv, stock.json and sales.csv')
    .option('--timezone <iana>', "the bakery's zone (its today dates the files)", 'Europe/Madrid')
    .option('--currency <code>', 'the currency of its prices (ISO 4217)', 'EUR')
    .option('--force', 'overwrite files already there', false)
    .action((o: { dir: string; timezone: string; currency: string; force: boolean }) => {
      const zone = canonicalZone(o.timezone);
      if (!zone) throw new Error(`--timezone: "${o.timezone}" is not an IANA zone (e.g. America/Mexico_City).`);
      const currency = currencyCode.parse(o.currency);
      const today = localDateAt(new Date(), zone);
      const { files, notes } = bakeryTemplates(today, currency);
      const existing = Object.keys(files).filter((name) => existsSync(join(o.dir, name)));
      if (existing.length && !o.force)
        throw new Error(`${o.dir} already has ${existing.join(', ')}; give another --dir, or --force to overwrite.`);
      mkdirSync(o.dir, { recursive: true });
      for (const [name, text] of Object.entries(files)) writeFileSync(join(o.dir, name), text);
      console.log(
        `Wrote ${Object.keys(files).join(', ')} to ${o.dir}: sales up to ${addDays(today, -1)} (yesterday in ${zone}), prices in ${currency}.`,
      );
      for (const note of notes) console.error(`Note: ${note}`);
    });

  const catalog = program
    .command('catalog')
    .description("A tenant's catalog: products, ingredients, recipes, suppliers, equipment.");
  withConnection(
    catalog
      .command('import')
      .description(
        'Replace the catalog with a JSON file (template: docs/templates/catalog.json); checked whole before anything is written.',
      ),
  )
    .requiredOption('--tenant <id>', 'tenant id', idArg)
    .requiredOption('--file <catalog.json>')
    .action(async (o: O & { tenant: string; file: string }) => {
      const { body: stored, headers } = await apiExchange<Catalog>(
        connection(o, o.tenant),
        'PUT',
        `/tenants/${o.tenant}/catalog`,
        readJsonFile(o.file),
      );
      console.log(
        `Catalog of ${o.tenant}: ${stored.products.length} products, ${stored.ingredients.length} ingredients, ${stored.recipes.length} recipes, ` +
          `${stored.suppliers.length} suppliers, ${stored.equipment.length} pieces of equipment.`,
      );
      sayAside(headers);
    });
  withConnection(catalog.command('show').description("List the catalog's products and suppliers."))
    .requiredOption('--tenant <id>', 'tenant id', idArg)
    .option('--json', 'the catalog as JSON', false)
    .action(async (o: O & { tenant: string; json: boolean }) => {
      const [stored, tenant] = await Promise.all([
        apiCall<Catalog>(connection(o, o.tenant), 'GET', `/tenants/${o.tenant}/catalog`),
        apiCall<Tenant>(connection(o, o.tenant), 'GET', `/tenants/${o.tenant}`),
      ]);
      if (o.json) return console.log(JSON.stringify(stored, null, 2));
      if (stored.products.length === 0)
        return console.log(
          `Tenant ${o.tenant} has no catalog yet: npm run planner -- catalog import --tenant ${o.tenant} --file docs/templates/catalog.json`,
        );
      const money = (amount: number) => formatMoney(amount, tenant.currency, tenant.locale);
      const lines = renderTable(
        ['product', 'name', 'price', 'cost', 'shelf life', 'recipe'],
        stored.products.map((p) => [
          p.productId,
          p.name,
          money(p.unitPrice),
          money(p.unitCost),
          `${p.shelfLifeDays} d`,
          p.recipeId,
        ]),
        new Set([2, 3, 4]),
      );
      const suppliers = renderTable(
        ['supplier', 'name', 'lead time', 'delivers', 'order by', 'preferred', 'offers', 'contact'],
        stored.suppliers.map((s) => [
          s.supplierId,
          s.name,
          `${s.leadTimeDays} d`,
          s.deliveryDays?.join(' ') ?? 'every day',
          s.orderCutoff ?? '',
          s.preferred ? 'yes' : '',
          s.offers.map((x) => x.ingredientId).join(', '),
          [s.contact?.email, s.contact?.phone].filter(Boolean).join(' · '),
        ]),
        new Set([2]),
      );
      console.log([...lines, '', ...suppliers].join('\n'));
    });

  const stock = program
    .command('stock')
    .description("A tenant's stock: finished-goods lots, ingredient lots, open purchase orders.");
  withConnection(
    stock
      .command('import')
      .description(
        'Replace the stock with a CSV (kind,id,quantity,date,supplierId) or JSON file (templates: docs/templates/stock.*).',
      ),
  )
    .requiredOption('--tenant <id>', 'tenant id', idArg)
    .requiredOption('--file <stock.csv|stock.json>')
    .action(async (o: O & { tenant: string; file: string }) => {
      const body = o.file.toLowerCase().endsWith('.csv')
        ? stockFromCsv(readFileSync(o.file, 'utf8'))
        : readJsonFile(o.file);
      const stored = await apiCall<StockSnapshot>(connection(o, o.tenant), 'PUT', `/tenants/${o.tenant}/stock`, body);
      console.log(
        `Stock of ${o.tenant}: ${stored.finishedGoods.length} finished-goods lots, ${stored.ingredients.length} ingredient lots, ${stored.openOrders?.length ?? 0} open orders.`,
      );
    });
}
