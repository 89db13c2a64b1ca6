// The ports the use cases need. AWS adapters live in lib/aws, embedded ones in lib/local.
import type {
  ApprovalHistoryEntry,
  Catalog,
  DailyDrivers,
  DemandForecast,
  LineApproval,
  ProcurementPlan,
  ProcurementStatus,
  ProductionSchedule,
  ProductionStatus,
  SalesHistory,
  StockSnapshot,
  Tenant,
} from './domain.ts';
import { PlannerError } from './errors.ts';
import type { PlanEvent } from './events/catalogue.ts';
import type { TenantModel } from './forecasting/tenant-model.ts';
import type { FanOutRequest, TenantJob } from './jobs/job-message.ts';
import type { JobName } from './jobs/job-table.ts';
import type { ScheduleDefinition } from './jobs/schedules.ts';
import type { Logger } from './log.ts';
import type { Metrics } from './metrics/catalogue.ts';
import type { ZoneSilenceAlarm } from './metrics/zone-alarm.ts';
import type { DailyActual } from './planning/actuals.ts';
import type { PlanQualitySummary } from './planning/plan-quality.ts';
import type { LocalDate } from './time/tenant-clock.ts';
import type { AttemptOutcome, WebhookEndpoint } from './webhooks/endpoint.ts';
import type { PlanSummary } from './workflow/cleanup.ts';

export interface TenantStore {
  /** Rejects an invalid timezone with InvalidTimezoneError before writing anything. */
  putTenant(tenant: Tenant): Promise<void>;
  getTenant(tenantId: string): Promise<Tenant | null>;
  listTenantsInZone(timezone: string): Promise<Tenant[]>;
  /** One page of a zone's tenants: at most `limit`, after the cursor a previous page returned. */
  tenantsInZonePage(timezone: string, limit: number, cursor?: string): Promise<Page<Tenant>>;
  /** Zones with at least one tenant, how many tenants each has, and each job's recent fan-outs there. */
  listZones(): Promise<ZoneInUse[]>;
  /**
   * Records that a job's fan-out ran in a zone, under its firing key (job-table.ts firingKey; what the
   * catch-up sweep compares against), and forgets the records under `forget` (keys out of the window).
   */
  recordZoneRun(timezone: string, job: JobName, firingKey: string, forget?: readonly string[]): Promise<void>;
  /** A zone's recorded firing keys by job, oldest first (as in listZones). */
  zoneRuns(timezone: string): Promise<Partial<Record<JobName, string[]>>>;
}

/** Per-key request counting in fixed windows (the API's per-tenant limits). */
export interface RequestLimiter {
  /** Counts one request under `key`; refuses (with the seconds until the window ends) past `requests` per window. */
  take(
    key: string,
    requests: number,
    windowSeconds: number,
    now: Date,
  ): Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;
}

/** A page of a listing, and where the next one starts (none: this was the last). */
export interface Page<T> {
  items: T[];
  cursor?: string;
}

/** Hands the rest of a zone's fan-out to a fresh invocation, so that no invocation carries a whole zone. */
export interface FanOutContinuation {
  /** Tenants one fan-out invocation enqueues before handing over. */
  shardSize: number;
  continueFanOut(request: FanOutRequest): Promise<void>;
}

export interface ZoneInUse {
  timezone: string;
  tenants: number;
  /** job → the firing keys of its recent scheduled (or catch-up) fan-outs in this zone, oldest first. */
  runs: Partial<Record<JobName, string[]>>;
}

export interface CatalogStore {
  /** Replaces the whole catalog, atomically. */
  putCatalog(tenantId: string, catalog: Catalog): Promise<void>;
  getCatalog(tenantId: string): Promise<Catalog>;
}

export interface StockStore {
  /** Replaces the whole stock snapshot, atomically. */
  putStock(tenantId: string, stock: StockSnapshot): Promise<void>;
  getStock(tenantId: string): Promise<StockSnapshot>;
}

export interface SalesStore {
  /** Merges days into the stored history (days in the import replace stored ones); `reopenedDates` stop being closures. */
  putSales(tenantId: string, history: SalesHistory, reopenedDates?: readonly LocalDate[]): Promise<void>;
  /** Sales of the open days in [from, to], and the closures in that range. */
  getSales(tenantId: string, from: LocalDate, to: LocalDate): Promise<SalesHistory>;
}

/** What actually happened, per product and day (lib/planning/actuals.ts). */
export interface ActualsStore {
  /** Records days' actuals: each (date, product) given replaces the stored one; the others are kept. */
  putActuals(tenantId: string, actuals: readonly DailyActual[]): Promise<void>;
  /** The actuals recorded for days in [from, to], by date then product. */
  getActuals(tenantId: string, from: LocalDate, to: LocalDate): Promise<DailyActual[]>;
  /** Keeps a day's plan quality (replacing the day's earlier one), with the event that announces it, if any. */
  putQuality(tenantId: string, quality: PlanQualitySummary, event?: PlanEvent): Promise<void>;
  /** The plan-quality summaries kept for days in [from, to], by date. */
  getQuality(tenantId: string, from: LocalDate, to: LocalDate): Promise<PlanQualitySummary[]>;
}

/** The tenant's fitted forecasting model: written by the weekly refit, read by the daily jobs. */
export interface ModelStore {
  putModel(tenantId: string, model: TenantModel, fittedAt: Date): Promise<void>;
  /** The stored model, or null when there is none (or one of a format this code cannot read). */
  getModel(tenantId: string): Promise<TenantModel | null>;
  /**
   * Claims the right to ask for a refit: true when no refit was asked for since `notBefore` (the claim
   * is recorded at `now`), false otherwise — so reads ask for a refit once per window, not per call.
   */
  claimRefitRequest(tenantId: string, now: Date, notBefore: Date): Promise<boolean>;
}

/** The tenant's daily drivers (temperature, promotions…): features of its global forecasting model. */
export interface DriverStore {
  /** Merges an import into the stored drivers and returns the result. */
  putDrivers(tenantId: string, drivers: DailyDrivers): Promise<DailyDrivers>;
  getDrivers(tenantId: string): Promise<DailyDrivers | null>;
}

export interface ForecastKey {
  productId: string;
  forecastDate: LocalDate;
}

export interface CacheStats {
  entries: number;
  hits: number;
  misses: number;
  hitRate: number | null;
  failures: number;
}

export interface ForecastCache {
  /** The unexpired cached forecasts among `keys`; missing and expired ones are absent. */
  getMany(tenantId: string, keys: readonly ForecastKey[], now: Date): Promise<DemandForecast[]>;
  /** Stores forecasts until the tenant-local midnight after each forecast date. */
  putMany(tenantId: string, timezone: string, forecasts: readonly DemandForecast[]): Promise<void>;
  recordLookups(tenantId: string, hits: number, misses: number, failures: number): Promise<void>;
  invalidateProduct(tenantId: string, productId: string): Promise<number>;
  invalidateTenant(tenantId: string): Promise<number>;
  stats(tenantId: string, now: Date): Promise<CacheStats>;
}

export type CreateOutcome = 'created' | 'exists';

export interface StoredPlan<T> {
  plan: T;
  /** Bumped by every status change (optimistic concurrency). */
  revision: number;
}

/** The revision of a plan as it is created. */
export const FIRST_REVISION = 1;

/** One changed item as the stream shows it: the events it carries now, and those it carried before. */
export interface ChangedItem {
  /** The stream record's sequence number: where a retry starts. */
  sequence: string;
  tenantId: string;
  /** When the change was written (the stream record's approximate creation time). */
  changedAt: Date;
  events: readonly PlanEvent[];
  /** Ids of the events the item carried before this change: already announced by an earlier record. */
  earlierEventIds: readonly string[];
}

export interface PlanStore {
  /** Writes the schedule, with its events on the item, only if none exists for the tenant and date. */
  createProductionSchedule(
    schedule: ProductionSchedule,
    timezone: string,
    events: readonly PlanEvent[],
    /** The tenant's review deadline: the plan waits in the review index until someone acts (none: never escalated). */
    reviewDeadline?: string,
  ): Promise<CreateOutcome>;
  getProductionSchedule(tenantId: string, planDate: LocalDate): Promise<StoredPlan<ProductionSchedule> | null>;
  /** The production schedules of these dates, read by key in batches (a date without one has none). */
  productionSchedulesOn(tenantId: string, dates: readonly LocalDate[]): Promise<ProductionSchedule[]>;
  /** Writes the plan, with its events on the item, only if this version does not exist yet for the tenant and date. */
  createProcurementPlan(
    plan: ProcurementPlan,
    timezone: string,
    events: readonly PlanEvent[],
    reviewDeadline?: string,
  ): Promise<CreateOutcome>;
  getProcurementPlan(
    tenantId: string,
    planDate: LocalDate,
    version: number,
  ): Promise<StoredPlan<ProcurementPlan> | null>;
  listPlanSummaries(tenantId: string, kind?: PlanSummary['kind']): Promise<PlanSummary[]>;
  /**
   * The plans of these local dates (the production schedule and every procurement version), read by
   * key: what the daily jobs need, at a cost that does not grow with the tenant's history.
   */
  plansOn(tenantId: string, dates: readonly LocalDate[]): Promise<PlanSummary[]>;
  /**
   * Files the plans of these dates still waiting for a person under the tenant's current zone and
   * review deadline (none: out of the review index), after a zone or deadline change, so that the
   * review firing of the new deadline finds them. Returns how many moved.
   */
  rekeyReview(
    tenantId: string,
    dates: readonly LocalDate[],
    timezone: string,
    deadline: string | undefined,
  ): Promise<number>;
  /**
   * The tenants of a zone with a plan of `planDate` still waiting for a person whose review deadline is
   * `deadline` (a sparse index: what the review firing of that hour concerns, and nothing else).
   */
  tenantsAwaitingReview(
    timezone: string,
    planDate: LocalDate,
    deadline: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<string>>;
  /**
   * Moves a plan to a new status if it is still in `plan.status` (and at `expectedRevision`, when
   * given); appends `entry` to its history. False when someone changed it meanwhile.
   */
  changeStatus(
    tenantId: string,
    plan: PlanSummary,
    to: ProductionStatus | ProcurementStatus,
    entry: ApprovalHistoryEntry | null,
    expectedRevision?: number,
    /** Events of this change, written on the plan's item with it (the table's stream publishes them). */
    events?: readonly PlanEvent[],
  ): Promise<boolean>;
  /**
   * In one transaction: cancels `old` (if still at `expectedRevision`) with its history entry and
   * events (on `next`'s item), and creates `next`. False when the old plan changed meanwhile (nothing is written).
   */
  supersedeProcurementPlan(
    old: PlanSummary,
    expectedRevision: number,
    entry: ApprovalHistoryEntry,
    next: ProcurementPlan,
    timezone: string,
    events: readonly PlanEvent[],
    reviewDeadline?: string,
  ): Promise<boolean>;
  /**
   * Appends line sign-offs to a plan still in `plan.status` at `expectedRevision`, with their events;
   * with `approved` (the last lines), the same write approves the plan and appends that history entry.
   * False when someone changed the plan meanwhile.
   */
  approveLines(
    tenantId: string,
    plan: PlanSummary,
    approvals: readonly LineApproval[],
    expectedRevision: number,
    events: readonly PlanEvent[],
    approved: ApprovalHistoryEntry | null,
  ): Promise<boolean>;
  /**
   * Records that the plans were escalated on `day`, each with its escalation event, on conditional
   * writes: a plan is claimed the first time for its day only. Returns the events of the plans claimed
   * now (nothing is written for the others).
   */
  claimEscalations(tenantId: string, day: LocalDate, claims: readonly EscalationClaim[]): Promise<PlanEvent[]>;
  /** Keeps an event the bus refused for itself, for a person (the relay moves on without it). */
  putDeadLetter(tenantId: string, event: PlanEvent, error: string): Promise<void>;
}

export interface JobQueue {
  /** Sends every job (after `delaySeconds`, at most 900); throws if any could not be sent after retries (naming them). */
  enqueue(jobs: readonly TenantJob[], options?: { delaySeconds?: number }): Promise<void>;
}

/**
 * Some events did not reach the bus. `refused`: the bus answered and refused them (`permanent` when the
 * refusal is about the events themselves, else a transient code such as throttling); otherwise the bus
 * could not be reached. `undelivered` names them when the publisher knows (the others were delivered),
 * so that nothing delivered is sent again.
 */
export class PublishRefusedError extends PlannerError {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly undelivered?: readonly string[],
    readonly refused = true,
  ) {
    super(permanent ? 'invalid' : 'unavailable', message);
  }
}

export interface EventPublisher {
  /** Publishes every event; throws (PublishRefusedError naming the undelivered ones when it can) if any could not be published after retries. */
  publish(events: readonly PlanEvent[]): Promise<void>;
}

/** The zone's EventBridge Scheduler schedules, kept by the schedule-sync use case. */
export interface ScheduleStore {
  /** Creates the schedule, or brings an existing one of the same name to this definition. */
  upsert(definition: ScheduleDefinition): Promise<'created' | 'updated'>;
  /** Deletes the schedule; a schedule that is already gone is fine. */
  remove(name: string): Promise<'deleted' | 'absent'>;
}

/** The per-zone "scheduler silent" alarms (PutMetricAlarm is an upsert; deleting a missing one is fine). */
export interface ZoneAlarmStore {
  put(alarm: ZoneSilenceAlarm): Promise<void>;
  remove(alarmName: string): Promise<void>;
}

/** What a tenant job is about to read: fetched ahead in one batch, then answered from memory. */
export interface ReadAheadWants {
  profile?: boolean;
  catalog?: boolean;
  stock?: boolean;
  drivers?: boolean;
  calendar?: boolean;
  /** Dates whose production schedule the job reads. */
  productionPlans?: readonly LocalDate[];
  /** Dates whose procurement plan (its first versions) the job reads. */
  procurementPlans?: readonly LocalDate[];
  /** Dates whose cached forecasts the job reads. */
  forecastDates?: readonly LocalDate[];
  /** Dates whose kept plan quality the job reads (their day items, and the earlier layout's month items). */
  qualityDates?: readonly LocalDate[];
  /** Months (YYYY-MM) whose packed sales the work merges into. */
  salesMonths?: readonly string[];
}

/**
 * A tenant job's read set: one batch read, at the job's start, of the items it will need, so that a
 * day's job costs one request of reads instead of one per store (outside a job it does nothing).
 */
export interface ReadAhead {
  prefetch(tenantId: string, wants: ReadAheadWants): Promise<void>;
}

/** A plan to escalate, and the event that says so. */
export interface EscalationClaim {
  plan: PlanSummary;
  event: PlanEvent;
}

/** One attempt to deliver an event to a webhook endpoint, as its delivery log keeps it (30 days). */
export interface DeliveryAttempt {
  tenantId: string;
  endpointId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  at: string;
  outcome: 'delivered' | 'failed' | 'refused';
  status?: number;
  latencyMs: number;
  /** The start of the receiver's answer (at most 500 characters), or what went wrong. */
  excerpt?: string;
  error?: string;
  /** When it is tried again (none: delivered, given up, or the endpoint disabled). */
  nextAttemptAt?: string;
  /** Replay: a person asked for it again. */
  replay?: boolean;
  /** The event itself, for a replay. */
  event: PlanEvent;
}

export interface WebhookStore {
  list(tenantId: string): Promise<WebhookEndpoint[]>;
  get(tenantId: string, endpointId: string): Promise<WebhookEndpoint | null>;
  /**
   * Creates the endpoint (`expectedRevision` absent: it must not exist) or replaces it at that revision,
   * with the events the change announces (published from the table's stream); false on a conflict.
   */
  put(endpoint: WebhookEndpoint, expectedRevision?: number, events?: readonly PlanEvent[]): Promise<boolean>;
  /** Deletes it; false when it did not exist. */
  remove(tenantId: string, endpointId: string): Promise<boolean>;
  /** The circuit breaker's clock: a success clears `failingSince` (`at` unused), a failure sets it to `at` if unset. */
  markOutcome(tenantId: string, endpointId: string, delivered: boolean, at: string): Promise<void>;
  recordAttempt(attempt: DeliveryAttempt): Promise<void>;
  /**
   * Takes one of the endpoint's `slots` delivery slots until `until` (a slot held past it is free again:
   * a crashed delivery never blocks its endpoint); returns the slot, or null when all are taken.
   */
  takeSlot(tenantId: string, endpointId: string, slots: number, now: Date, until: Date): Promise<number | null>;
  /** Gives the slot back (if it is still the one taken until `until`). */
  releaseSlot(tenantId: string, endpointId: string, slot: number, until: Date): Promise<void>;
  /** The endpoint's attempts between two instants (ISO), newest first, at most `limit`. */
  attempts(
    tenantId: string,
    endpointId: string,
    options: { from?: string; to?: string; limit: number },
  ): Promise<DeliveryAttempt[]>;
}

/** A delivery of one event to one endpoint, queued until `notBefore` (retries, replays, fan-out). */
export interface WebhookDelivery {
  tenantId: string;
  endpointId: string;
  event: PlanEvent;
  attempt: number;
  notBefore: string;
  replay?: boolean;
}

export interface WebhookQueue {
  /** Queues the deliveries, each after `delaySeconds` (at most 900: a later `notBefore` is waited for in hops). */
  enqueue(deliveries: readonly WebhookDelivery[], delaySeconds?: number): Promise<void>;
}

export interface WebhookSender {
  /** Local mode only: http and loopback addresses are allowed (endpoints on this machine). */
  readonly allowLoopback: boolean;
  /**
   * POSTs the body to the URL: resolves the host, refuses any address that is not public (loopback
   * allowed only when asked, in local mode), connects to the address it checked, follows no redirect,
   * and reads at most a few KB of the answer within the timeout. Never throws: the outcome says.
   */
  post(url: string, headers: Record<string, string>, body: string): Promise<AttemptOutcome>;
}

/** Encrypts small secrets (the webhook signing secrets) bound to a context; KMS in the cloud. */
export interface SecretSealer {
  seal(plaintext: string, context: Record<string, string>): Promise<string>;
  open(sealed: string, context: Record<string, string>): Promise<string>;
}

/** What every use case gets: the adapters, plus the clock, the logger and the metrics. */
/** An e-mail: plain text, to one address. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** Where answers go (the bakery's own address, when it has one). */
  replyTo?: string;
}

/** Sends e-mail (purchase orders to suppliers): SES in the cloud, files in a local outbox folder locally. */
export interface Mailer {
  /** Null when no sender is configured: the reason, to tell the person who asked. */
  readonly unavailable: string | null;
  send(message: MailMessage): Promise<{ messageId: string }>;
}

export interface PlannerPorts {
  tenants: TenantStore;
  catalog: CatalogStore;
  stock: StockStore;
  sales: SalesStore;
  actuals: ActualsStore;
  forecastCache: ForecastCache;
  models: ModelStore;
  drivers: DriverStore;
  plans: PlanStore;
  readAhead: ReadAhead;
  queue: JobQueue;
  fanOut: FanOutContinuation;
  limits: RequestLimiter;
  events: EventPublisher;
  webhooks: WebhookStore;
  webhookQueue: WebhookQueue;
  webhookSender: WebhookSender;
  secrets: SecretSealer;
  mailer: Mailer;
  metrics: Metrics;
  log: Logger;
  now: () => Date;
}
