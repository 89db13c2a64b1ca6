// A manager's morning in one read: today's bakes by equipment, the procurement plan grouped by supplier
// with costs, each product's recent sales and coming forecast with its p10–p90 band, and which actions
// each plan's status allows. The review page draws it; nothing here writes.
import type { Catalog, ProcurementPlan, ProcurementStatus, ProductionSchedule, Tenant } from '../domain.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, type LocalDate, localDateAt } from '../time/tenant-clock.ts';
import { type MessageValues, type Said, said } from '../words/message.ts';
import { SENTENCES } from '../words/sentences.ts';
import type { PlanSummary } from '../workflow/cleanup.ts';
import { PROCUREMENT_TRANSITIONS } from '../workflow/plan-lifecycle.ts';
import { reviewDeadlineOf } from '../workflow/review-deadline.ts';
import { jobsDueToday } from './catch-up.ts';
import { getForecasts } from './forecasts.ts';

/** Days of sales the charts show, and days of forecast after them. */
const MORNING_HISTORY_DAYS = 28;
const MORNING_FORECAST_DAYS = 7;

/** What an operator may do to a procurement plan from the page: the lifecycle's moves a person makes. */
const OPERATOR_ACTIONS: readonly ProcurementStatus[] = [
  'pending_approval',
  'approved',
  'rejected',
  'in_execution',
  'completed',
  'cancelled',
];

interface SupplierGroup {
  supplierId: string | null;
  supplierName: string;
  totalCost: number;
  lines: (ProcurementPlan['requirements'][number] & { ingredientName: string })[];
}

interface ProductChart {
  productId: string;
  name: string;
  sales: { date: LocalDate; units: number | null }[];
  forecast: { date: LocalDate; p10: number; p50: number; p90: number }[];
}

interface EmptyMorning extends Said {
  catchUp: boolean;
}

export interface Morning {
  tenant: Pick<Tenant, 'tenantId' | 'name' | 'timezone' | 'currency' | 'locale'> & { reviewDeadline: string };
  date: LocalDate;
  /** The bakery's own today. */
  today: LocalDate;
  /**
   * Why the day has no plan yet, in words, and whether planning it now is the fix (a date of today
   * whose jobs' times have passed): the page offers it as a button (POST …/catch-up).
   */
  empty: EmptyMorning | null;
  production:
    | (ProductionSchedule & {
        revision: number;
        equipmentNames: Record<string, string>;
        productNames: Record<string, string>;
        /** Days each product keeps: what keeps two days or more can be carried over. */
        shelfLifeDays: Record<string, number>;
      })
    | null;
  procurementVersions: PlanSummary[];
  procurement:
    | (ProcurementPlan & { revision: number; actions: ProcurementStatus[]; bySupplier: SupplierGroup[] })
    | null;
  charts: ProductChart[];
}

const round2 = (n: number) => Math.round(n * 100) / 100;

function bySupplier(plan: ProcurementPlan, catalog: Catalog): SupplierGroup[] {
  const ingredientName = new Map(catalog.ingredients.map((i) => [i.ingredientId, i.name]));
  const supplierName = new Map(catalog.suppliers.map((s) => [s.supplierId, s.name]));
  const groups = new Map<string | null, SupplierGroup>();
  for (const line of plan.requirements) {
    const group = groups.get(line.supplierId) ?? {
      supplierId: line.supplierId,
      supplierName: line.supplierId ? (supplierName.get(line.supplierId) ?? line.supplierId) : 'No supplier',
      totalCost: 0,
      lines: [],
    };
    group.lines.push({ ...line, ingredientName: ingredientName.get(line.ingredientId) ?? line.ingredientId });
    group.totalCost = round2(group.totalCost + line.estimatedCost);
    groups.set(line.supplierId, group);
  }
  // Earliest order first, then the biggest bill.
  const firstOrder = (g: SupplierGroup) => g.lines.map((l) => l.orderDate).sort()[0] ?? '';
  return [...groups.values()].sort((a, b) => firstOrder(a).localeCompare(firstOrder(b)) || b.totalCost - a.totalCost);
}

/** Why a day has no plan (or no orders) yet, and whether planning today now would fix it. */
function emptyMorning(tenant: Tenant, date: LocalDate, today: LocalDate, products: number, now: Date): EmptyMorning {
  const why = (text: string, catchUp: boolean, values?: MessageValues) => {
    const { reason, message } = said(text, values);
    return { reason, message, catchUp };
  };
  if (products === 0) return why(SENTENCES.noProducts, false);
  if (date > today) return why(SENTENCES.plannedOnTheDay, false, { timezone: tenant.timezone });
  if (date < today) return why(SENTENCES.neverPlanned, false);
  return jobsDueToday(tenant, now).jobs.includes('production')
    ? why(SENTENCES.dueAndMissing, true)
    : why(SENTENCES.madeThisMorning, false);
}

export async function morningOf(ports: PlannerPorts, tenant: Tenant, date: LocalDate): Promise<Morning> {
  const [catalog, production, summaries, sales] = await Promise.all([
    ports.catalog.getCatalog(tenant.tenantId),
    ports.plans.getProductionSchedule(tenant.tenantId, date),
    ports.plans.plansOn(tenant.tenantId, [date]),
    ports.sales.getSales(tenant.tenantId, addDays(date, -MORNING_HISTORY_DAYS), addDays(date, -1)),
  ]);
  const versions = summaries.filter((p) => p.kind === 'procurement').sort((a, b) => b.version - a.version);
  const latest = versions[0] ? await ports.plans.getProcurementPlan(tenant.tenantId, date, versions[0].version) : null;
  const productIds = catalog.products.map((p) => p.productId);
  const dates = Array.from({ length: MORNING_FORECAST_DAYS }, (_, i) => addDays(date, i));
  // Sales are known through yesterday at most, whatever date is read; an operator's read never fits a model.
  const yesterday = addDays(localDateAt(ports.now(), tenant.timezone), -1);
  const [historyEnd] = [addDays(date, -1), yesterday].sort();
  const run = productIds.length
    ? await getForecasts(ports, tenant, productIds, dates, historyEnd!, [], 'read')
    : { forecasts: [] };
  const closed = new Set(sales.closedDates);
  const charts = catalog.products.map((product) => ({
    productId: product.productId,
    name: product.name,
    sales: Array.from({ length: MORNING_HISTORY_DAYS }, (_, i) => {
      const day = addDays(date, i - MORNING_HISTORY_DAYS);
      const units = sales.unitsByProduct[product.productId]?.[day];
      return { date: day, units: closed.has(day) || units === undefined ? null : units };
    }),
    forecast: run.forecasts
      .filter((f) => f.productId === product.productId)
      .sort((a, b) => a.forecastDate.localeCompare(b.forecastDate))
      .map((f) => ({ date: f.forecastDate, p10: f.quantiles.p10, p50: f.quantiles.p50, p90: f.quantiles.p90 })),
  }));
  const today = localDateAt(ports.now(), tenant.timezone);
  return {
    today,
    empty: production && latest ? null : emptyMorning(tenant, date, today, productIds.length, ports.now()),
    tenant: {
      tenantId: tenant.tenantId,
      name: tenant.name,
      timezone: tenant.timezone,
      currency: tenant.currency,
      locale: tenant.locale,
      reviewDeadline: reviewDeadlineOf(tenant),
    },
    date,
    production: production
      ? {
          ...production.plan,
          revision: production.revision,
          equipmentNames: Object.fromEntries(catalog.equipment.map((e) => [e.equipmentId, e.name])),
          productNames: Object.fromEntries(catalog.products.map((p) => [p.productId, p.name])),
          shelfLifeDays: Object.fromEntries(catalog.products.map((p) => [p.productId, p.shelfLifeDays])),
        }
      : null,
    procurementVersions: versions,
    procurement: latest
      ? {
          ...latest.plan,
          revision: latest.revision,
          actions: PROCUREMENT_TRANSITIONS[latest.plan.status].filter((s) => OPERATOR_ACTIONS.includes(s)),
          bySupplier: bySupplier(latest.plan, catalog),
        }
      : null,
    charts,
  };
}
