// Production schedules and procurement plans. The business key (tenant, kind, local date, version) is
// the item key, and creation is conditional on its absence: whatever runs twice writes once. Every
// change that announces something carries its events on the item it writes (`events`), in the same
// single write; the table's stream brings them to the bus (app/event-relay.ts), so nothing announced
// is ever lost and no write pays for a transaction or an outbox item.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import {
  GetCommand,
  PutCommand,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type {
  ApprovalHistoryEntry,
  LineApproval,
  ProcurementPlan,
  ProcurementStatus,
  ProductionSchedule,
  ProductionStatus,
} from '../../domain.ts';
import type { PlanEvent } from '../../events/catalogue.ts';
import {
  type CreateOutcome,
  type EscalationClaim,
  FIRST_REVISION,
  type Page,
  type PlanStore,
  type StoredPlan,
} from '../../ports.ts';
import { addDays, endOfLocalDayEpochSeconds, type LocalDate } from '../../time/tenant-clock.ts';
import type { PlanSummary } from '../../workflow/cleanup.ts';
import { assertTransition } from '../../workflow/plan-lifecycle.ts';
import { batchGetAll, conditionalWrite, queryAll, queryPage, send, type TableContext } from './client.ts';
import { packJson, unpackJson } from './packed-json.ts';
import { keys, PLAN_RETENTION_DAYS, REVIEW_INDEX, TTL_ATTRIBUTE } from './table-layout.ts';

type TransactItem = NonNullable<TransactWriteCommandInput['TransactItems']>[number];

function planKey(tenantId: string, plan: Pick<PlanSummary, 'kind' | 'planDate' | 'version'>) {
  return plan.kind === 'production'
    ? keys.productionSchedule(tenantId, plan.planDate)
    : keys.procurementPlan(tenantId, plan.planDate, plan.version);
}

/** True when a transaction failed only because a condition did not hold (someone else got there first). */
function lostTheRace(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'ConditionalCheckFailed') &&
    (error.CancellationReasons ?? []).every((r) => r.Code === 'ConditionalCheckFailed' || r.Code === 'None' || !r.Code)
  );
}

/** True when a transaction was cancelled only because another transaction was working on one of its items. */
function inConflict(error: unknown): boolean {
  return (
    error instanceof TransactionCanceledException &&
    (error.CancellationReasons ?? []).some((r) => r.Code === 'TransactionConflict')
  );
}

const TRANSACTION_ATTEMPTS = 5;

/** Procurement versions read per date at a time. */
const VERSIONS_READ = 2;

const SUMMARY_PROJECTION = {
  ProjectionExpression: 'kind, planId, planDate, #status, version, revision',
  ExpressionAttributeNames: { '#status': 'status' },
};

/** Statuses in which a plan waits for a person: what the review index holds. */
const AWAITING_REVIEW = new Set<string>(['draft', 'pending_approval']);

/** A new plan's review-index entry (none without a deadline: demo tenants are never escalated). */
const reviewEntry = (timezone: string, planDate: LocalDate, deadline: string | undefined): Record<string, string> =>
  deadline ? { reviewDue: keys.reviewDue(timezone, planDate, deadline) } : {};

/** The events a write announces, on the item it writes (absent when it announces none). */
const eventsAttribute = (events: readonly PlanEvent[]) => (events.length > 0 ? { events } : {});

function toSummary(item: Record<string, unknown>): PlanSummary {
  return {
    kind: item.kind as PlanSummary['kind'],
    planId: String(item.planId),
    planDate: String(item.planDate),
    status: item.status as PlanSummary['status'],
    version: Number(item.version),
    revision: Number(item.revision ?? 1),
  };
}

/** A plan from its item: status, history and line sign-offs live only at the top level (they change); the body holds the rest. */
function planOf<T>(item: Record<string, unknown>): T {
  return {
    ...unpackJson<T>(item.plan as Uint8Array),
    status: item.status,
    ...(item.history ? { history: item.history } : {}),
    ...(item.approvedLines ? { approvedLines: item.approvedLines } : {}),
  } as T;
}

export class DynamoPlanStore implements PlanStore {
  constructor(private readonly ctx: TableContext) {}

  /**
   * Items written together, all or nothing (a regeneration: the old plan cancelled, the new one
   * created); false when a condition did not hold. A transaction cancelled because another one held an
   * item at the same moment is tried again.
   */
  private async transact(items: TransactItem[]): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await send(this.ctx, new TransactWriteCommand({ TransactItems: items }));
        return true;
      } catch (error) {
        if (lostTheRace(error)) return false;
        if (!inConflict(error) || attempt >= TRANSACTION_ATTEMPTS) throw error;
        await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt * Math.random()));
      }
    }
  }

  private retention(planDate: LocalDate, timezone: string): number {
    return endOfLocalDayEpochSeconds(addDays(planDate, PLAN_RETENTION_DAYS), timezone);
  }

  private async createWithEvents(
    item: Record<string, unknown>,
    events: readonly PlanEvent[],
    review: Record<string, string>,
  ): Promise<CreateOutcome> {
    const put = new PutCommand({
      TableName: this.ctx.tableName,
      Item: { ...item, ...eventsAttribute(events), ...review },
      ConditionExpression: 'attribute_not_exists(PK)',
    });
    return (await conditionalWrite(this.ctx, put)) ? 'created' : 'exists';
  }

  createProductionSchedule(
    schedule: ProductionSchedule,
    timezone: string,
    events: readonly PlanEvent[],
    reviewDeadline?: string,
  ): Promise<CreateOutcome> {
    return this.createWithEvents(
      {
        ...keys.productionSchedule(schedule.tenantId, schedule.planDate),
        type: 'ProductionSchedule',
        kind: 'production',
        planId: schedule.planId,
        planDate: schedule.planDate,
        status: schedule.status,
        version: 1,
        revision: FIRST_REVISION,
        // The body is written once and read whole: packed, so every write of the item costs a quarter of the units.
        plan: packJson({ ...schedule, status: undefined }),
        [TTL_ATTRIBUTE]: this.retention(schedule.planDate, timezone),
      },
      events,
      reviewEntry(timezone, schedule.planDate, reviewDeadline),
    );
  }

  private procurementItem(plan: ProcurementPlan, timezone: string): Record<string, unknown> {
    return {
      ...keys.procurementPlan(plan.tenantId, plan.planDate, plan.version),
      type: 'ProcurementPlan',
      kind: 'procurement',
      planId: plan.planId,
      planDate: plan.planDate,
      status: plan.status,
      version: plan.version,
      revision: FIRST_REVISION,
      history: plan.history,
      ...(plan.approvedLines?.length ? { approvedLines: plan.approvedLines } : {}),
      plan: packJson({ ...plan, status: undefined, history: undefined, approvedLines: undefined }),
      [TTL_ATTRIBUTE]: this.retention(plan.planDate, timezone),
    };
  }

  createProcurementPlan(
    plan: ProcurementPlan,
    timezone: string,
    events: readonly PlanEvent[],
    reviewDeadline?: string,
  ): Promise<CreateOutcome> {
    return this.createWithEvents(
      this.procurementItem(plan, timezone),
      events,
      reviewEntry(timezone, plan.planDate, reviewDeadline),
    );
  }

  async supersedeProcurementPlan(
    old: PlanSummary,
    expectedRevision: number,
    entry: ApprovalHistoryEntry,
    next: ProcurementPlan,
    timezone: string,
    events: readonly PlanEvent[],
    reviewDeadline?: string,
  ): Promise<boolean> {
    assertTransition('procurement', old.status, 'cancelled');
    // The change's events ride on the new plan's item; the old one drops those it carried.
    return await this.transact([
      {
        Update: {
          TableName: this.ctx.tableName,
          Key: planKey(next.tenantId, old),
          UpdateExpression:
            'SET #status = :to, revision = revision + :one, history = list_append(if_not_exists(history, :empty), :entry) REMOVE events, reviewDue',
          ConditionExpression: '#status = :from AND revision = :revision',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': 'cancelled',
            ':from': old.status,
            ':revision': expectedRevision,
            ':one': 1,
            ':empty': [],
            ':entry': [entry],
          },
        },
      },
      {
        Put: {
          TableName: this.ctx.tableName,
          Item: {
            ...this.procurementItem(next, timezone),
            ...eventsAttribute(events),
            ...reviewEntry(timezone, next.planDate, reviewDeadline),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
    ]);
  }

  private async getPlan<T>(key: Record<string, string>): Promise<StoredPlan<T> | null> {
    const result = await send<{ Item?: Record<string, unknown> }>(
      this.ctx,
      new GetCommand({ TableName: this.ctx.tableName, Key: key, ConsistentRead: true }),
    );
    return result.Item ? { plan: planOf<T>(result.Item), revision: Number(result.Item.revision ?? 1) } : null;
  }

  async productionSchedulesOn(tenantId: string, dates: readonly LocalDate[]): Promise<ProductionSchedule[]> {
    const items = await batchGetAll(
      this.ctx,
      dates.map((date) => keys.productionSchedule(tenantId, date)),
    );
    return items.map((item) => planOf<ProductionSchedule>(item));
  }

  getProductionSchedule(tenantId: string, planDate: LocalDate): Promise<StoredPlan<ProductionSchedule> | null> {
    return this.getPlan(keys.productionSchedule(tenantId, planDate));
  }

  getProcurementPlan(
    tenantId: string,
    planDate: LocalDate,
    version: number,
  ): Promise<StoredPlan<ProcurementPlan> | null> {
    return this.getPlan(keys.procurementPlan(tenantId, planDate, version));
  }

  async listPlanSummaries(tenantId: string, kind?: PlanSummary['kind']): Promise<PlanSummary[]> {
    const items = await queryAll(this.ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ...SUMMARY_PROJECTION,
      ExpressionAttributeValues: {
        ':pk': keys.tenantPartition(tenantId),
        ':prefix': kind ? keys.planKindPrefix(kind) : keys.planPrefix,
      },
    });
    return items.map(toSummary);
  }

  async tenantsAwaitingReview(
    timezone: string,
    planDate: LocalDate,
    deadline: string,
    limit: number,
    cursor?: string,
  ): Promise<Page<string>> {
    const page = await queryPage(
      this.ctx,
      {
        IndexName: REVIEW_INDEX.name,
        KeyConditionExpression: '#due = :due',
        ExpressionAttributeNames: { '#due': REVIEW_INDEX.partition },
        ExpressionAttributeValues: { ':due': keys.reviewDue(timezone, planDate, deadline) },
      },
      limit,
      cursor,
    );
    // Sorted by tenant: a tenant's plans are neighbours, and a page boundary between them only repeats
    // the tenant's review job, which escalates once per plan and day whatever.
    return { ...page, items: [...new Set(page.items.map((item) => String(item.PK).replace(/^TENANT#/, '')))] };
  }

  async plansOn(tenantId: string, dates: readonly LocalDate[]): Promise<PlanSummary[]> {
    const read = (keyList: Record<string, unknown>[]) =>
      batchGetAll(this.ctx, keyList, SUMMARY_PROJECTION).then((items) => items.map(toSummary));
    // Most dates have one procurement version, some two (a regeneration): read two, then more while the last is there.
    const found = await read(
      dates.flatMap((date) => [
        keys.productionSchedule(tenantId, date),
        ...Array.from({ length: VERSIONS_READ }, (_, i) => keys.procurementPlan(tenantId, date, i + 1)),
      ]),
    );
    let latest = found.filter((p) => p.kind === 'procurement' && p.version % VERSIONS_READ === 0);
    while (latest.length > 0) {
      const more = await read(
        latest.flatMap((plan) =>
          Array.from({ length: VERSIONS_READ }, (_, i) =>
            keys.procurementPlan(tenantId, plan.planDate, plan.version + i + 1),
          ),
        ),
      );
      found.push(...more);
      latest = more.filter((p) => p.version % VERSIONS_READ === 0);
    }
    return found;
  }

  async rekeyReview(
    tenantId: string,
    dates: readonly LocalDate[],
    timezone: string,
    deadline: string | undefined,
  ): Promise<number> {
    const waiting = (await this.plansOn(tenantId, dates)).filter((plan) => AWAITING_REVIEW.has(plan.status));
    const moved = await Promise.all(
      waiting.map((plan) =>
        conditionalWrite(
          this.ctx,
          new UpdateCommand({
            TableName: this.ctx.tableName,
            Key:
              plan.kind === 'production'
                ? keys.productionSchedule(tenantId, plan.planDate)
                : keys.procurementPlan(tenantId, plan.planDate, plan.version),
            // A plan whose status changed meanwhile has left the index already.
            ConditionExpression: '#status = :seen',
            ...(deadline
              ? {
                  UpdateExpression: 'SET reviewDue = :due',
                  ExpressionAttributeValues: {
                    ':seen': plan.status,
                    ':due': keys.reviewDue(timezone, plan.planDate, deadline),
                  },
                }
              : { UpdateExpression: 'REMOVE reviewDue', ExpressionAttributeValues: { ':seen': plan.status } }),
            ExpressionAttributeNames: { '#status': 'status' },
          }),
        ),
      ),
    );
    return moved.filter(Boolean).length;
  }

  /**
   * The claims are one small marker item per tenant and day (not updates of the plans, whose size every
   * write would cost): the day's first claims are one conditional Put of the item, with every plan and
   * event; a plan claimed later that day (a regenerated version) is one conditional update of it.
   */
  async claimEscalations(tenantId: string, day: LocalDate, claims: readonly EscalationClaim[]): Promise<PlanEvent[]> {
    if (claims.length === 0) return [];
    const key = keys.escalations(tenantId, day);
    const first = await conditionalWrite(
      this.ctx,
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...key,
          type: 'Escalation',
          day,
          plans: Object.fromEntries(claims.map((c) => [c.plan.planId, c.event.detail.occurredAt])),
          ...eventsAttribute(claims.map((c) => c.event)),
          [TTL_ATTRIBUTE]: Math.floor(Date.parse(`${addDays(day, 3)}T00:00:00Z`) / 1000),
        },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    if (first) return claims.map((c) => c.event);
    const claimed: PlanEvent[] = [];
    for (const { plan, event } of claims) {
      const update = new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: key,
        UpdateExpression: 'SET #plans.#plan = :at, events = :events',
        ConditionExpression: 'attribute_exists(#plans) AND attribute_not_exists(#plans.#plan)',
        ExpressionAttributeNames: { '#plans': 'plans', '#plan': plan.planId },
        ExpressionAttributeValues: { ':at': event.detail.occurredAt, ':events': [event] },
      });
      if (await conditionalWrite(this.ctx, update)) claimed.push(event);
    }
    return claimed;
  }

  async putDeadLetter(tenantId: string, event: PlanEvent, error: string): Promise<void> {
    await send(
      this.ctx,
      new PutCommand({
        TableName: this.ctx.tableName,
        Item: {
          ...keys.deadLetter(tenantId, event.detail.eventId),
          type: 'DeadLetterEvent',
          event,
          lastError: error.slice(0, 1000),
          deadLetteredAt: new Date().toISOString(),
        },
      }),
    );
  }

  async changeStatus(
    tenantId: string,
    plan: PlanSummary,
    to: ProductionStatus | ProcurementStatus,
    entry: ApprovalHistoryEntry | null,
    expectedRevision?: number,
    events: readonly PlanEvent[] = [],
  ): Promise<boolean> {
    assertTransition(plan.kind, plan.status, to);
    // The change's events replace those the item carried (the relay announces only ids new to the item);
    // a plan no longer waiting for a person leaves the review index.
    const removed = [...(events.length > 0 ? [] : ['events']), ...(AWAITING_REVIEW.has(to) ? [] : ['reviewDue'])];
    const eventsUpdate = `${events.length > 0 ? ', events = :events' : ''}${removed.length ? ` REMOVE ${removed.join(', ')}` : ''}`;
    const update = {
      TableName: this.ctx.tableName,
      Key: planKey(tenantId, plan),
      UpdateExpression: `SET #status = :to, revision = if_not_exists(revision, :one) + :one${entry ? ', history = list_append(if_not_exists(history, :empty), :entry)' : ''}${eventsUpdate}`,
      // The status read, and (for operators) the revision read: a concurrent change makes this fail.
      ConditionExpression:
        expectedRevision === undefined ? '#status = :from' : '#status = :from AND revision = :revision',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':to': to,
        ':from': plan.status,
        ':one': 1,
        ...(entry ? { ':empty': [], ':entry': [entry] } : {}),
        ...(expectedRevision === undefined ? {} : { ':revision': expectedRevision }),
        ...(events.length > 0 ? { ':events': events } : {}),
      },
    };
    return conditionalWrite(this.ctx, new UpdateCommand(update));
  }

  async approveLines(
    tenantId: string,
    plan: PlanSummary,
    approvals: readonly LineApproval[],
    expectedRevision: number,
    events: readonly PlanEvent[],
    approved: ApprovalHistoryEntry | null,
  ): Promise<boolean> {
    if (approved) assertTransition(plan.kind, plan.status, 'approved');
    const update = {
      TableName: this.ctx.tableName,
      Key: planKey(tenantId, plan),
      UpdateExpression: `SET approvedLines = list_append(if_not_exists(approvedLines, :empty), :approvals), revision = revision + :one, events = :events${
        approved
          ? ', #status = :approved, history = list_append(if_not_exists(history, :empty), :entry) REMOVE reviewDue'
          : ''
      }`,
      ConditionExpression: '#status = :from AND revision = :revision',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: {
        ':approvals': approvals,
        ':empty': [],
        ':one': 1,
        ':events': events,
        ':from': plan.status,
        ':revision': expectedRevision,
        ...(approved ? { ':approved': 'approved', ':entry': [approved] } : {}),
      },
    };
    return conditionalWrite(this.ctx, new UpdateCommand(update));
  }
}
