// The weekly model-refit job: fits the tenant's forecasting model on two years of sales (and its daily
// drivers, if any) and stores it, so that the daily jobs only score (milliseconds) instead of fitting
// (seconds). Idempotent: a model already fitted on the same history, or a later one, is kept.
import { fitTenantModel } from '../../forecasting/tenant-model.ts';
import type { TenantJob } from '../../jobs/job-message.ts';
import type { PlannerPorts } from '../../ports.ts';
import { addDays } from '../../time/tenant-clock.ts';
import { holidaysOf, TRAINING_HISTORY_DAYS } from '../forecasts.ts';
import { loadCatalog, loadTenant, type TenantJobResult } from './tenant-job.ts';

export async function runModelRefitJob(
  ports: PlannerPorts,
  job: TenantJob,
  signal: AbortSignal,
): Promise<TenantJobResult> {
  const historyEnd = addDays(job.planDate, -1);
  const [stored] = await Promise.all([
    ports.models.getModel(job.tenantId),
    // What it reads in the table but the sales history, in one batch read.
    ports.readAhead.prefetch(job.tenantId, { profile: true, catalog: true, calendar: true, drivers: true }),
  ]);
  // Fitted on this history already, or on a later one (a late catch-up must not replace it).
  if (stored && stored.historyEnd >= historyEnd)
    return { outcome: 'duplicate', summary: { historyEnd, storedHistoryEnd: stored.historyEnd } };
  const tenant = await loadTenant(ports, job.tenantId);
  const catalog = await loadCatalog(ports, tenant.tenantId);
  const [history, drivers] = await Promise.all([
    ports.sales.getSales(tenant.tenantId, addDays(historyEnd, -TRAINING_HISTORY_DAYS + 1), historyEnd),
    ports.drivers.getDrivers(tenant.tenantId),
  ]);
  signal.throwIfAborted();
  const model = fitTenantModel(
    history,
    catalog.products.map((p) => p.productId),
    historyEnd,
    {
      holidays: holidaysOf(tenant, history.holidays, addDays(historyEnd, -TRAINING_HISTORY_DAYS + 1), historyEnd),
      ...(drivers ? { drivers } : {}),
    },
  );
  signal.throwIfAborted();
  await ports.models.putModel(tenant.tenantId, model, ports.now());
  ports.metrics.record('ModelTrainingDuration', model.training.milliseconds, {}, { tenantId: tenant.tenantId });
  const products = Object.values(model.products);
  const summary = {
    historyEnd,
    products: products.length,
    withoutModel: catalog.products.length - products.length,
    trainingRows: model.training.rows,
    trainingMs: model.training.milliseconds,
    drivers: model.training.drivers.join(',') || 'none',
    driversOffered: model.training.driversOffered?.join(',') || 'none',
    globalOnly: products.filter((p) => p.globalWeight === 1).length,
    blended: products.filter((p) => p.globalWeight > 0 && p.globalWeight < 1).length,
    ownModelOnly: products.filter((p) => p.globalWeight === 0).length,
  };
  ports.log.info('Forecasting model refitted', { tenantId: tenant.tenantId, ...summary });
  return { outcome: 'created', summary };
}
