// Forecasts through the cache: cached ones are returned as they are, missing ones are computed from
// the sales history and cached. A cache that cannot be read or written never stops forecasting.
import type { DemandForecast, Tenant } from '../domain.ts';
import { forecastDemand } from '../forecasting/forecaster.ts';
import { publicHolidays } from '../forecasting/public-holidays.ts';
import {
  forecastWithModel,
  MAX_TRAINING_DAYS,
  modelStatus,
  SCORING_HISTORY_DAYS,
  type TenantModel,
} from '../forecasting/tenant-model.ts';
import { idempotencyKey } from '../jobs/job-message.ts';
import type { CACHE_OPERATIONS } from '../metrics/catalogue.ts';
import type { PlannerPorts } from '../ports.ts';
import { addDays, type LocalDate, laterDate, localDateAt } from '../time/tenant-clock.ts';

/** Calendar days of sales loaded to fit the tenant's model. */
export const TRAINING_HISTORY_DAYS = MAX_TRAINING_DAYS + 7;

type ServedForecast = DemandForecast & { cached: boolean };

export interface ForecastRun {
  forecasts: ServedForecast[];
  hits: number;
  misses: number;
  failures: number;
}

/**
 * Who asks. A job may fit a missing or stale model (seconds to minutes) and store it; an operator's read
 * never fits: without a current model it answers from the seasonal-naive baseline (milliseconds, marked
 * `baseline:` in the method, never cached) and asks for a refit.
 */
type Caller = 'job' | 'read';

/** A refit asked for by a read is asked for again only after this long (the refit job is idempotent). */
const REFIT_REQUEST_WINDOW_MINUTES = 30;
/** The baseline's history: enough for the seasonal-naive model's weekday means and its error quantiles. */
const BASELINE_HISTORY_DAYS = 120;

type CacheOperation = (typeof CACHE_OPERATIONS)[number];

/**
 * A forecast cache call that must never stop a job: when it fails, the failure is counted
 * (`ForecastCacheFailures` by operation, which the ForecastCacheFailing alarm sums), logged, and
 * `failed` is returned for the caller to go on without the cache.
 */
async function guardedCacheCall<T>(
  ports: PlannerPorts,
  tenantId: string,
  operation: CacheOperation,
  warning: string,
  call: () => Promise<T>,
): Promise<{ failed: false; value: T } | { failed: true }> {
  try {
    return { failed: false, value: await call() };
  } catch (error) {
    ports.metrics.record('ForecastCacheFailures', 1, { Operation: operation }, { tenantId });
    ports.log.warn(warning, { tenantId, error });
    return { failed: true };
  }
}

/**
 * Invalidates a tenant's cached forecasts; a cache that cannot be reached is counted and logged, never
 * fatal (a regeneration then bypasses the cache: see `freshDates`). Returns how many were invalidated.
 */
export async function invalidateForecastsSafely(
  ports: PlannerPorts,
  tenantId: string,
  reason: 'stale_rejection' | 'regeneration' | 'tenant' | 'all',
): Promise<number> {
  const result = await guardedCacheCall(
    ports,
    tenantId,
    'invalidate',
    'Forecast cache invalidation failed; stale entries are bypassed, and replaced when recomputed',
    () => ports.forecastCache.invalidateTenant(tenantId),
  );
  if (result.failed) return 0;
  ports.metrics.record('ForecastCacheInvalidations', result.value, { Reason: reason }, { tenantId });
  return result.value;
}

/**
 * Scores the tenant's stored model. A missing, stale or unreadable one is replaced by a model fitted
 * here over `allProductIds` (counted in ForecastModelFallbacks and, unless the stored one is newer,
 * stored for the day's next jobs).
 */
async function forecastFromModel(
  ports: PlannerPorts,
  tenant: Tenant,
  productIds: readonly string[],
  dates: readonly LocalDate[],
  historyEnd: LocalDate,
  allProductIds: readonly string[],
  caller: Caller,
): Promise<{ forecasts: DemandForecast[]; baseline: boolean }> {
  const { tenantId } = tenant;
  const read = await guardedCacheCall(
    ports,
    tenantId,
    'modelRead',
    'Forecasting model could not be read; fitting one for this run',
    () => ports.models.getModel(tenantId),
  );
  const stored: TenantModel | null = read.failed ? null : read.value;
  const status = modelStatus(stored, historyEnd);
  if (caller === 'read' && status !== 'current')
    return { forecasts: await baselineForecasts(ports, tenant, productIds, dates, historyEnd, status), baseline: true };
  const days = status === 'current' ? SCORING_HISTORY_DAYS : TRAINING_HISTORY_DAYS;
  const [history, drivers] = await Promise.all([
    ports.sales.getSales(tenantId, addDays(historyEnd, -days + 1), historyEnd),
    ports.drivers.getDrivers(tenantId),
  ]);
  const options = {
    holidays: holidaysOf(tenant, history.holidays, addDays(historyEnd, -days + 1), dates.reduce(laterDate, historyEnd)),
    ...(drivers ? { drivers } : {}),
  };
  const run = forecastWithModel({
    history,
    productIds,
    dates,
    historyEnd,
    model: stored,
    options,
    fitProductIds: allProductIds,
  });
  if (run.refit) {
    const reason = read.failed ? 'unreadable' : run.refit;
    ports.metrics.record('ForecastModelFallbacks', 1, { Reason: reason }, { tenantId });
    ports.log.warn('No current forecasting model; fitted one for this run', {
      tenantId,
      reason,
      storedHistoryEnd: stored?.historyEnd ?? null,
      trainingMs: run.model.training.milliseconds,
    });
    // A model for an earlier day (a past date regenerated) never replaces a newer one, and none is ever
    // stored "from the future": sales are known through yesterday at most.
    const yesterday = addDays(localDateAt(ports.now(), tenant.timezone), -1);
    if ((!stored || run.model.historyEnd > stored.historyEnd) && run.model.historyEnd <= yesterday) {
      await guardedCacheCall(
        ports,
        tenantId,
        'modelWrite',
        'Fitted model could not be stored; the next job fits again',
        () => ports.models.putModel(tenantId, run.model, ports.now()),
      );
    }
  }
  if (run.fittedOnTheFly.length > 0)
    ports.metrics.record(
      'ForecastProductsFittedOnTheFly',
      run.fittedOnTheFly.length,
      {},
      { tenantId, products: run.fittedOnTheFly },
    );
  return { forecasts: run.forecasts, baseline: false };
}

/**
 * A read without a current model: the seasonal-naive baseline from the recent history (no fitting),
 * counted, and — when the model is missing or stale for today — one refit asked of the training lane.
 */
async function baselineForecasts(
  ports: PlannerPorts,
  tenant: Tenant,
  productIds: readonly string[],
  dates: readonly LocalDate[],
  historyEnd: LocalDate,
  status: 'missing' | 'stale',
): Promise<DemandForecast[]> {
  const { tenantId } = tenant;
  const history = await ports.sales.getSales(tenantId, addDays(historyEnd, -BASELINE_HISTORY_DAYS + 1), historyEnd);
  ports.metrics.record('ForecastBaselineServed', productIds.length, { Reason: status }, { tenantId });
  const today = localDateAt(ports.now(), tenant.timezone);
  if (historyEnd === addDays(today, -1)) await requestRefit(ports, tenant, today, status);
  return forecastDemand(history, productIds, dates, historyEnd, {
    models: ['seasonal-naive'],
    holidays: holidaysOf(
      tenant,
      history.holidays,
      addDays(historyEnd, -BASELINE_HISTORY_DAYS + 1),
      dates.reduce(laterDate, historyEnd),
    ),
  }).map((forecast) => ({ ...forecast, method: `baseline:${forecast.method}` }));
}

/** Asks the training lane for a refit, once per window; a failure only leaves it to the weekly refit. */
export async function requestRefit(
  ports: PlannerPorts,
  tenant: Tenant,
  today: LocalDate,
  status: string,
): Promise<void> {
  const { tenantId } = tenant;
  const now = ports.now();
  try {
    const notBefore = new Date(now.getTime() - REFIT_REQUEST_WINDOW_MINUTES * 60_000);
    if (await ports.models.claimRefitRequest(tenantId, now, notBefore)) {
      await ports.queue.enqueue([
        {
          job: 'model-refit',
          tenantId,
          timezone: tenant.timezone,
          planDate: today,
          trigger: 'manual',
          scheduledTime: now.toISOString(),
          idempotencyKey: idempotencyKey(tenantId, 'model-refit', today),
        },
      ]);
      ports.log.info('A refit is queued', { tenantId, status });
    }
  } catch (error) {
    ports.log.warn('A refit could not be asked for; the weekly refit or the next job fits the model', {
      tenantId,
      error,
    });
  }
}

export async function getForecasts(
  ports: PlannerPorts,
  tenant: Tenant,
  productIds: readonly string[],
  dates: readonly LocalDate[],
  historyEnd: LocalDate,
  /**
   * Dates whose forecast must be built from history up to `historyEnd`: a cached one from older
   * history is a miss. Production asks this for the plan date (what it bakes today must see
   * yesterday's sales); later dates may reuse yesterday's forecasts.
   */
  freshDates: readonly LocalDate[] = [],
  caller: Caller = 'job',
): Promise<ForecastRun> {
  const log = ports.log.child({ tenantId: tenant.tenantId });
  const wanted = dates.flatMap((forecastDate) => productIds.map((productId) => ({ productId, forecastDate })));
  let failures = 0;
  const read = await guardedCacheCall(
    ports,
    tenant.tenantId,
    'read',
    'Forecast cache read failed; computing every forecast',
    () => ports.forecastCache.getMany(tenant.tenantId, wanted, ports.now()),
  );
  if (read.failed) failures += 1;
  const cached = read.failed
    ? []
    : read.value.filter((f) => !(freshDates.includes(f.forecastDate) && f.historyEnd < historyEnd));
  const have = new Set(cached.map((f) => `${f.productId}|${f.forecastDate}`));
  const missing = wanted.filter((k) => !have.has(`${k.productId}|${k.forecastDate}`));
  let computed: DemandForecast[] = [];
  let baseline = false;
  if (missing.length > 0) {
    const missingKeys = new Set(missing.map((k) => `${k.productId}|${k.forecastDate}`));
    const run = await forecastFromModel(
      ports,
      tenant,
      [...new Set(missing.map((k) => k.productId))],
      [...new Set(missing.map((k) => k.forecastDate))],
      historyEnd,
      productIds,
      caller,
    );
    computed = run.forecasts.filter((f) => missingKeys.has(`${f.productId}|${f.forecastDate}`));
    baseline = run.baseline;
  }
  // A baseline answers one read; only model forecasts are cached for the jobs.
  if (computed.length > 0 && !baseline) {
    const write = await guardedCacheCall(
      ports,
      tenant.tenantId,
      'write',
      'Forecast cache write failed; forecasts are served uncached',
      () => ports.forecastCache.putMany(tenant.tenantId, tenant.timezone, computed),
    );
    if (write.failed) failures += 1;
  }
  const hits = cached.length;
  const misses = computed.length;
  await guardedCacheCall(ports, tenant.tenantId, 'stats', 'Forecast cache statistics could not be updated', () =>
    ports.forecastCache.recordLookups(tenant.tenantId, hits, misses, failures),
  );
  const properties = { tenantId: tenant.tenantId };
  ports.metrics.record('ForecastCacheHits', hits, {}, properties);
  ports.metrics.record('ForecastCacheMisses', misses, {}, properties);
  if (hits + misses > 0) ports.metrics.record('ForecastCacheHitRate', (100 * hits) / (hits + misses), {}, properties);
  log.info('Forecasts served', { hits, misses, failures, products: productIds.length, dates: dates.length });
  return {
    forecasts: [...cached.map((f) => ({ ...f, cached: true })), ...computed.map((f) => ({ ...f, cached: false }))],
    hits,
    misses,
    failures,
  };
}

/**
 * An operator's read of the forecasts for `date` (default: tomorrow, local), fitted on sales through
 * yesterday, each saying whether it came from the cache.
 */
export async function forecastsForDate(ports: PlannerPorts, tenant: Tenant, date: LocalDate | undefined) {
  const today = localDateAt(ports.now(), tenant.timezone);
  const forecastDate = date ?? addDays(today, 1);
  const catalog = await ports.catalog.getCatalog(tenant.tenantId);
  const run = await getForecasts(
    ports,
    tenant,
    catalog.products.map((p) => p.productId),
    [forecastDate],
    addDays(today, -1),
    [],
    'read',
  );
  return {
    date: forecastDate,
    forecasts: run.forecasts.map(({ errors: _errors, ...forecast }) => forecast),
    hits: run.hits,
    misses: run.misses,
  };
}

/**
 * The days the forecasts treat as holidays from `from` to `to`: the ones the tenant declared and, when
 * it names a public-holiday calendar (Tenant.publicHolidays), that calendar's.
 */
export function holidaysOf(
  tenant: Tenant,
  declared: readonly LocalDate[] | undefined,
  from: LocalDate,
  to: LocalDate,
): Set<LocalDate> {
  const holidays = new Set(declared ?? []);
  if (tenant.publicHolidays) for (const date of publicHolidays(tenant.publicHolidays, from, to)) holidays.add(date);
  return holidays;
}
