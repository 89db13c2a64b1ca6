// A tenant's data: catalog, stock, sales and daily drivers, each validated whole and imported whole or
// not at all (sales as JSON or CSV, errors naming the line).

import type { z } from 'zod';
import { recordActuals } from '../../app/actuals.ts';
import { importDrivers, importSales, replaceCatalog, replaceStock } from '../../app/bakery-data.ts';
import type { firstDayCatchUp } from '../../app/catch-up.ts';
import { PlannerError } from '../../errors.ts';
import { actualsRowsFromCsv } from '../../input/actuals-csv.ts';
import { driversFromImportCsv } from '../../input/drivers-csv.ts';
import { salesRowsFromCsv } from '../../input/sales-csv.ts';
import type { PlannerPorts } from '../../ports.ts';
import { localDateAt } from '../../time/tenant-clock.ts';
import {
  ActualsAnswer,
  ActualsRecordedAnswer,
  CatalogAnswer,
  DriversImportAnswer,
  SalesImportAnswer,
  StockAnswer,
} from '../answers.ts';
import { type Route, route } from '../router.ts';
import {
  ActualSchema,
  ActualsImportSchema,
  CatalogSchema,
  type SalesImport,
  SalesImportSchema,
  SalesRowSchema,
  StockSchema,
} from '../schemas.ts';
import { DayRangeQuery, dayRange } from './query.ts';

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

/**
 * An import from JSON or CSV, validated whole: CSV rows pass the same row grammar as JSON ones, and
 * errors name the line.
 */
function parseImport<T, R extends { line: number }>(
  rawBody: string,
  contentType: string,
  schema: z.ZodType<T>,
  csv: { rows: (text: string) => R[]; row: z.ZodType; key: string },
): T {
  if (!contentType.startsWith('text/csv')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(rawBody || '{}');
    } catch {
      throw new PlannerError('invalid', 'The request body is not valid JSON (send CSV with content-type text/csv).', {
        field: 'body',
      });
    }
    return schema.parse(parsed);
  }
  const rows = csv.rows(rawBody).map(({ line, ...row }) => {
    const checked = csv.row.safeParse(row);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      const field = String(issue.path[0] ?? 'row');
      throw new PlannerError('invalid', `Line ${line}, ${field}: ${issue.message}.`, { field, line });
    }
    return checked.data;
  });
  const checked = schema.safeParse({ [csv.key]: rows });
  if (!checked.success) {
    const issue = checked.error.issues[0]!;
    const line = typeof issue.path[1] === 'number' ? issue.path[1] + 2 : undefined;
    throw new PlannerError('invalid', `${line ? `Line ${line}: ` : ''}${issue.message}.`, {
      field: csv.key,
      ...(line ? { line } : {}),
    });
  }
  return checked.data;
}

const parseSalesImport = (rawBody: string, contentType: string): SalesImport =>
  parseImport(rawBody, contentType, SalesImportSchema, { rows: salesRowsFromCsv, row: SalesRowSchema, key: 'rows' });

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
      imports: { schema: SalesImportSchema, csv: 'productId,date,units (docs/api.md)' },
      summary:
        'Import daily sales: JSON rows, or CSV with columns productId,date,units. Every product id must be in the catalog (a misspelt one is refused, with the nearest id). `warnings` says when the stored sales end more than two days ago; for a tenant created today, the `first-day` header says whether today is planned now.',
      handle: async ({ tenant, rawBody, contentType }) => {
        const { answer, firstDay } = await importSales(ports(), tenant, parseSalesImport(rawBody, contentType));
        return { status: 201, body: answer, ...firstDayHeader(firstDay) };
      },
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/actuals',
      access: 'tenant',
      answer: { status: 201, schema: ActualsRecordedAnswer },
      limit: 'imports',
      imports: {
        schema: ActualsImportSchema,
        csv: 'date,productId,sold,leftover[,carriedOver,soldOutAt] (docs/api.md)',
      },
      summary:
        "Record what actually happened, per product and day: units sold, left over, carried over (of the leftover, kept to sell the next day) and when it sold out. JSON `actuals`, or CSV with columns date,productId,sold,leftover and optionally carriedOver,soldOutAt (a POS export). Checked whole, nothing stored on a problem: products in the catalog, no day after today, carried over ≤ left over and only where the shelf life allows, nothing left when it sold out, a sold-out time within the opening hours, and sold + left over ≤ what there was (the day's bakes and the stock its schedule counted). A (date, product) given again replaces the stored one. What sold becomes the day's sales; carried-over units become day-old stock the next plans count.",
      handle: async ({ tenant, rawBody, contentType }) => ({
        status: 201,
        body: await recordActuals(
          ports(),
          tenant,
          parseImport(rawBody, contentType, ActualsImportSchema, {
            rows: actualsRowsFromCsv,
            row: ActualSchema,
            key: 'actuals',
          }).actuals,
        ),
      }),
    }),
    route({
      method: 'GET',
      path: '/tenants/{tenantId}/actuals',
      access: 'tenant',
      answer: { schema: ActualsAnswer },
      query: DayRangeQuery,
      summary: 'The actuals recorded for ?from=&to= (default: the 28 days through today), by date then product.',
      handle: async ({ params, query, tenant }) => {
        const { from, to } = dayRange(query, localDateAt(ports().now(), tenant.timezone));
        return { body: { from, to, actuals: await ports().actuals.getActuals(params.tenantId, from, to) } };
      },
    }),
    route({
      method: 'POST',
      path: '/tenants/{tenantId}/drivers',
      access: 'tenant',
      answer: { status: 201, schema: DriversImportAnswer },
      limit: 'imports',
      imports: { csv: 'date,<driver>,… (docs/onboarding.md)' },
      summary:
        'Import daily drivers (temperature, promotions…): CSV with a date column and one column per driver (at most 20; empty = unknown). Merged by date and driver; the next model refit uses them as features.',
      handle: async ({ params, rawBody }) => ({
        status: 201,
        body: await importDrivers(ports(), params.tenantId, driversFromImportCsv(rawBody)),
      }),
    }),
  ];
}
