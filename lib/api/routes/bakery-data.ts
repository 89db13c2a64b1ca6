// A tenant's data: catalog, stock, sales and daily drivers, each validated whole and imported whole or
// not at all (sales as JSON or CSV, errors naming the line).

import { importDrivers, importSales, replaceCatalog, replaceStock } from '../../app/bakery-data.ts';
import type { firstDayCatchUp } from '../../app/catch-up.ts';
import { PlannerError } from '../../errors.ts';
import { driversFromImportCsv } from '../../input/drivers-csv.ts';
import { salesRowsFromCsv } from '../../input/sales-csv.ts';
import type { PlannerPorts } from '../../ports.ts';
import { CatalogAnswer, DriversImportAnswer, SalesImportAnswer, StockAnswer } from '../answers.ts';
import { type Route, route } from '../router.ts';
import { CatalogSchema, type SalesImport, SalesImportSchema, SalesRowSchema, StockSchema } from '../schemas.ts';

/** A sales import from JSON or CSV, validated whole: CSV rows pass the same row grammar, and errors name the line. */
/** The `first-day` header: what a new tenant's import planned today, or why not. */
function firstDayHeader(firstDay: Awaited<ReturnType<typeof firstDayCatchUp>> | null): {
  headers?: Record<string, string>;
} {
  if (!firstDay) return {};
  const said =
    'enqueued' in firstDay
      ? `planning ${firstDay.enqueued.planDate}: ${firstDay.enqueued.jobs.join(', ')}`
      : `not planned now: ${firstDay.skipped}`;
  return { headers: { 'first-day': said } };
}

function parseSalesImport(rawBody: string, contentType: string): SalesImport {
  if (!contentType.startsWith('text/csv')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody || '{}');
    } catch {
      throw new PlannerError('invalid', 'The request body is not valid JSON (send CSV with content-type text/csv).', {
        field: 'body',
      });
    }
    return SalesImportSchema.parse(parsed);
  }
  const rows = salesRowsFromCsv(rawBody).map(({ line, ...row }) => {
    const checked = SalesRowSchema.safeParse(row);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const field = String(issue.path[0] ?? 'row');
      throw new PlannerError('invalid', `Line ${line}, ${field}: ${issue.message}.`, { field, line });
    }
    return checked.data;
  });
  const checked = SalesImportSchema.safeParse({ rows });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const line = typeof issue.path[1] === 'number' ? issue.path[1] + 2 : undefined;
    throw new PlannerError('invalid', `${line ? `Line ${line}: ` : ''}${issue.message}.`, {
      field: 'rows',
      ...(line ? { line } : {}),
    });
  }
  return checked.data;
}

export function bakeryDataRoutes(ports: () => PlannerPorts): Route[] {
  return [
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/catalog',
      access: 'tenant',
      answer: { schema: CatalogAnswer },
      summary: 'Products, ingredients, recipes, suppliers, equipment.',
      handle: async ({ params }) => ({ body: await ports().catalog.getCatalog(params.tenantId) }),
    }),
    route({
      method: 'PUT',
      path: '/tenants/{tenantId}/catalog',
      access: 'tenant',
      answer: { schema: CatalogAnswer },
      limit: 'imports',
      summary:
        "Replace the catalog, whole and atomically (ids unique, references and recipe cycles checked). For a tenant created today after its jobs' times that has sales, today's due jobs then run by themselves (without sales, the sales import starts them): the `first-day` header says which, or why not. The `warnings` header says when the prices look like another currency's.",
      body: CatalogSchema,
      handle: async ({ tenant, body }) => {
        const { catalog, firstDay, warnings } = await replaceCatalog(ports(), tenant, body);
        const { headers } = firstDayHeader(firstDay);
        // The body is the catalog as stored: what it did not refuse but a person should know goes in a header.
        return {
          body: catalog,
          headers: { ...headers, ...(warnings.length ? { warnings: warnings.join(' | ') } : {}) },
        };
      },
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/stock',
      access: 'tenant',
      answer: { schema: StockAnswer },
      summary: 'Finished goods, ingredient lots and open purchase orders.',
      handle: async ({ params }) => ({ body: await ports().stock.getStock(params.tenantId) }),
    }),
    route({
      method: 'PUT',
      path: '/tenants/{tenantId}/stock',
      access: 'tenant',
      answer: { schema: StockAnswer },
      limit: 'imports',
      summary:
        "Replace the stock snapshot, whole and atomically (ids must be in the catalog, two finished-goods lots of one product and day are refused, and an open order may not arrive before the bakery's today).",
      body: StockSchema,
      handle: async ({ tenant, body }) => ({ body: await replaceStock(ports(), tenant, body) }),
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/sales',
      access: 'tenant',
      answer: { status: 201, schema: SalesImportAnswer },
      limit: 'imports',
      summary:
        'Import daily sales: JSON rows, or CSV with columns productId,date,units. Every product id must be in the catalog (a misspelt one is refused, with the nearest id). `warnings` says when the stored sales end more than two days ago; for a tenant created today, the `first-day` header says whether today is planned now.',
      handle: async ({ tenant, rawBody, contentType }) => {
        const { answer, firstDay } = await importSales(ports(), tenant, parseSalesImport(rawBody, contentType));
        return { status: 201, body: answer, ...firstDayHeader(firstDay) };
      },
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/drivers',
      access: 'tenant',
      answer: { status: 201, schema: DriversImportAnswer },
      limit: 'imports',
      summary:
        'Import daily drivers (temperature, promotions…): CSV with a date column and one column per driver (at most 20; empty = unknown). Merged by date and driver; the next model refit uses them as features.',
      handle: async ({ params, rawBody }) => ({
        status: 201,
        body: await importDrivers(ports(), params.tenantId, driversFromImportCsv(rawBody)),
      }),
    }),
  ];
}
