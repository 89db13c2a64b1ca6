// Production schedules and procurement plans, and the outbox of their events. The business key
// (tenant, kind, local date, version) is the item key, and creation is conditional on its absence:
// whatever runs twice writes once. Every change that announces something writes its events as outbox
// entries in the same transaction; publishing deletes them, so nothing announced is ever lost.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand, type TransactWriteCommandInput, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type {
  ApprovalHistoryEntry,
  ProcurementPlan,
  ProcurementStatus,
  ProductionSchedule,
  ProductionStatus,
} from '../../domain.ts';
import type { PlanEvent } from '../../events/catalogue.ts';
import type { CreateOutcome, PendingEvent, PlanStore, StoredPlan } from '../../ports.ts';
import { addDays, endOfLocalDayEpochSeconds, type LocalDate } from '../../time/tenant-clock.ts';
import type { PlanSummary } from '../../workflow/cleanup.ts';
import { assertTransition } from '../../workflow/plan-lifecycle.ts';
import { batchGetAll, batchWriteAll, queryAll, send, type TableContext } from './client.ts';
import { packJson, unpackJson } from './packed-json.ts';
import { keys, PLAN_RETENTION_DAYS, TTL_ATTRIBUTE } from './table-layout.ts';

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

export class DynamoPlanStore implements PlanStore {
  constructor(private readonly ctx: TableContext) {}

  private outboxPuts(tenantId: string, events: readonly PlanEvent[]): TransactItem[] {
    return events.map((event) => ({
      Put: {
        TableName: this.ctx.tableName,
        Item: { ...keys.outboxEntry(tenantId, event.detail.eventId), type: 'OutboxEntry', event, attempts: 0 },
      },
    }));
  }

  /**
   * The change and its events, all or nothing; false when the change's condition did not hold. A
   * transaction cancelled because another one held an item at the same moment is tried again.
   */
  private async transact(
    change: TransactItem,
    tenantId: string,
    events: readonly PlanEvent[],
    extra: TransactItem[] = [],
  ): Promise<boolean> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await send(
          this.ctx,
          new TransactWriteCommand({ TransactItems: [change, ...extra, ...this.outboxPuts(tenantId, events)] }),
        );
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
    tenantId: string,
    item: Record<string, unknown>,
    events: readonly PlanEvent[],
  ): Promise<CreateOutcome> {
    const put = { Put: { TableName: this.ctx.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' } };
    return (await this.transact(put, tenantId, events)) ? 'created' : 'exists';
  }

  createProductionSchedule(
    schedule: ProductionSchedule,
    timezone: string,
    events: readonly PlanEvent[],
  ): Promise<CreateOutcome> {
    return this.createWithEvents(
      schedule.tenantId,
      {
        ...keys.productionSchedule(schedule.tenantId, schedule.planDate),
        type: 'ProductionSchedule',
        kind: 'production',
        planId: schedule.planId,
        planDate: schedule.planDate,
        status: schedule.status,
        version: 1,
        revision: 1,
        // The body is written once and read whole: packed, so every write of the item costs a quarter of the units.
        plan: packJson({ ...schedule, status: undefined }),
        [TTL_ATTRIBUTE]: this.retention(schedule.planDate, timezone),
      },
      events,
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
      revision: 1,
      history: plan.history,
      plan: packJson({ ...plan, status: undefined, history: undefined }),
      [TTL_ATTRIBUTE]: this.retention(plan.planDate, timezone),
    };
  }

  createProcurementPlan(plan: ProcurementPlan, timezone: string, events: readonly PlanEvent[]): Promise<CreateOutcome> {
    return this.createWithEvents(plan.tenantId, this.procurementItem(plan, timezone), events);
  }

  async supersedeProcurementPlan(
    old: PlanSummary,
    expectedRevision: number,
    entry: ApprovalHistoryEntry,
    next: ProcurementPlan,
    timezone: string,
    outbox: readonly PlanEvent[],
  ): Promise<boolean> {
    assertTransition('procurement', old.status, 'cancelled');
    return await this.transact(
      {
        Update: {
          TableName: this.ctx.tableName,
          Key: planKey(next.tenantId, old),
          UpdateExpression:
            'SET #status = :to, revision = revision + :one, history = list_append(if_not_exists(history, :empty), :entry)',
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
      next.tenantId,
      outbox,
      [
        {
          Put: {
            TableName: this.ctx.tableName,
            Item: this.procurementItem(next, timezone),
            ConditionExpression: 'attribute_not_exists(PK)',
          },
        },
      ],
    );
  }

  private async getPlan<T>(key: Record<string, string>): Promise<StoredPlan<T> | null> {
    const result = await send<{ Item?: { plan: Uint8Array; status: string; history?: unknown; revision?: number } }>(
      this.ctx,
      new GetCommand({ TableName: this.ctx.tableName, Key: key, ConsistentRead: true }),
    );
    if (!result.Item) return null;
    // Status and history live only at the top level (they change); the body holds the rest.
    const plan = {
      ...unpackJson<T>(result.Item.plan),
      status: result.Item.status,
      ...(result.Item.history ? { history: result.Item.history } : {}),
    } as T;
    return { plan, revision: Number(result.Item.revision ?? 1) };
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

  /** The claim is a small marker item (not an update of the plan, whose size every write would cost). */
  claimEscalation(tenantId: string, plan: PlanSummary, day: LocalDate, event: PlanEvent): Promise<boolean> {
    return this.transact(
      {
        Put: {
          TableName: this.ctx.tableName,
          Item: {
            ...keys.escalation(tenantId, plan.planId, day),
            type: 'Escalation',
            planId: plan.planId,
            day,
            [TTL_ATTRIBUTE]: Math.floor(Date.parse(`${addDays(day, 3)}T00:00:00Z`) / 1000),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        },
      },
      tenantId,
      [event],
    );
  }

  async pendingEvents(tenantId: string): Promise<PendingEvent[]> {
    const items = await queryAll(this.ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ExpressionAttributeValues: { ':pk': keys.tenantPartition(tenantId), ':prefix': keys.outboxPrefix },
      ConsistentRead: true,
    });
    return items.map((item) => ({ event: item.event as PlanEvent, attempts: Number(item.attempts ?? 0) }));
  }

  async removePublished(tenantId: string, eventIds: readonly string[]): Promise<void> {
    await batchWriteAll(
      this.ctx,
      eventIds.map((eventId) => ({ DeleteRequest: { Key: keys.outboxEntry(tenantId, eventId) } })),
    );
  }

  async recordPublishFailure(
    tenantId: string,
    event: PlanEvent,
    error: string,
    deadLetterAfter: number,
  ): Promise<'retry' | 'dead-lettered'> {
    const eventId = event.detail.eventId;
    const updated = await send<{ Attributes?: Record<string, unknown> }>(
      this.ctx,
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.outboxEntry(tenantId, eventId),
        UpdateExpression: 'ADD attempts :one SET lastError = :error',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':one': 1, ':error': error.slice(0, 1000) },
        ReturnValues: 'ALL_NEW',
      }),
    ).catch((failure: unknown) => {
      if (failure instanceof ConditionalCheckFailedException) return { Attributes: undefined }; // published meanwhile
      throw failure;
    });
    const attempts = Number(updated.Attributes?.attempts ?? 0);
    if (!updated.Attributes || attempts < deadLetterAfter) return 'retry';
    await send(
      this.ctx,
      new TransactWriteCommand({
        TransactItems: [
          { Delete: { TableName: this.ctx.tableName, Key: keys.outboxEntry(tenantId, eventId) } },
          {
            Put: {
              TableName: this.ctx.tableName,
              Item: {
                ...keys.deadLetter(tenantId, eventId),
                type: 'DeadLetterEvent',
                event,
                attempts,
                lastError: error.slice(0, 1000),
                deadLetteredAt: new Date().toISOString(),
              },
            },
          },
        ],
      }),
    );
    return 'dead-lettered';
  }

  async changeStatus(
    tenantId: string,
    plan: PlanSummary,
    to: ProductionStatus | ProcurementStatus,
    entry: ApprovalHistoryEntry | null,
    expectedRevision?: number,
    outbox: readonly PlanEvent[] = [],
  ): Promise<boolean> {
    assertTransition(plan.kind, plan.status, to);
    const update = {
      TableName: this.ctx.tableName,
      Key: planKey(tenantId, plan),
      UpdateExpression: `SET #status = :to, revision = if_not_exists(revision, :one) + :one${entry ? ', history = list_append(if_not_exists(history, :empty), :entry)' : ''}`,
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
      },
    };
    if (outbox.length > 0) return this.transact({ Update: update }, tenantId, outbox);
    try {
      await send(this.ctx, new UpdateCommand(update));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
