// Production schedules and procurement plans. The business key (tenant, kind, local date, version) is
// the item key, and creation is conditional on its absence: whatever runs twice writes once.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApprovalHistoryEntry, ProcurementPlan, ProcurementStatus, ProductionSchedule, ProductionStatus } from '../../domain.ts';
import type { PlanEvent } from '../../events/catalogue.ts';
import type { CreateOutcome, PlanStore, StoredPlan } from '../../ports.ts';
import { addDays, endOfLocalDayEpochSeconds, type LocalDate } from '../../time/tenant-clock.ts';
import type { PlanSummary } from '../../workflow/cleanup.ts';
import { queryAll, type TableContext } from './client.ts';
import { keys, PLAN_RETENTION_DAYS, TTL_ATTRIBUTE } from './table-layout.ts';

function planKey(tenantId: string, plan: Pick<PlanSummary, 'kind' | 'planDate' | 'version'>) {
  return plan.kind === 'production'
    ? keys.productionSchedule(tenantId, plan.planDate)
    : keys.procurementPlan(tenantId, plan.planDate, plan.version);
}

export class DynamoPlanStore implements PlanStore {
  constructor(private readonly ctx: TableContext) {}

  private async createIfAbsent(item: Record<string, unknown>): Promise<CreateOutcome> {
    try {
      await this.ctx.doc.send(new PutCommand({ TableName: this.ctx.tableName, Item: item, ConditionExpression: 'attribute_not_exists(PK)' }));
      return 'created';
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return 'exists';
      throw error;
    }
  }

  private retention(planDate: LocalDate, timezone: string): number {
    return endOfLocalDayEpochSeconds(addDays(planDate, PLAN_RETENTION_DAYS), timezone);
  }

  createProductionSchedule(schedule: ProductionSchedule, timezone: string): Promise<CreateOutcome> {
    return this.createIfAbsent({
      ...keys.productionSchedule(schedule.tenantId, schedule.planDate),
      type: 'ProductionSchedule',
      kind: 'production',
      planId: schedule.planId,
      planDate: schedule.planDate,
      status: schedule.status,
      version: 1,
      revision: 1,
      eventsPublished: false,
      plan: { ...schedule, status: undefined },
      [TTL_ATTRIBUTE]: this.retention(schedule.planDate, timezone),
    });
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
      eventsPublished: false,
      history: plan.history,
      plan: { ...plan, status: undefined, history: undefined },
      [TTL_ATTRIBUTE]: this.retention(plan.planDate, timezone),
    };
  }

  createProcurementPlan(plan: ProcurementPlan, timezone: string): Promise<CreateOutcome> {
    return this.createIfAbsent(this.procurementItem(plan, timezone));
  }

  async supersedeProcurementPlan(
    old: PlanSummary,
    expectedRevision: number,
    entry: ApprovalHistoryEntry,
    next: ProcurementPlan,
    timezone: string,
    outbox: readonly PlanEvent[],
  ): Promise<boolean> {
    try {
      await this.ctx.doc.send(new TransactWriteCommand({
        TransactItems: [
          {
            Update: {
              TableName: this.ctx.tableName,
              Key: planKey(next.tenantId, old),
              UpdateExpression: 'SET #status = :to, revision = revision + :one, history = list_append(if_not_exists(history, :empty), :entry), outbox = list_append(if_not_exists(outbox, :empty), :outbox)',
              ConditionExpression: '#status = :from AND revision = :revision',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: { ':to': 'cancelled', ':from': old.status, ':revision': expectedRevision, ':one': 1, ':empty': [], ':entry': [entry], ':outbox': outbox },
            },
          },
          { Put: { TableName: this.ctx.tableName, Item: this.procurementItem(next, timezone), ConditionExpression: 'attribute_not_exists(PK)' } },
        ],
      }));
      return true;
    } catch (error) {
      if (error instanceof TransactionCanceledException) return false;
      throw error;
    }
  }

  private async getPlan<T>(key: Record<string, string>): Promise<StoredPlan<T> | null> {
    const result = await this.ctx.doc.send(new GetCommand({ TableName: this.ctx.tableName, Key: key, ConsistentRead: true }));
    if (!result.Item) return null;
    // Status and history live only at the top level (they change); the body holds the rest.
    const plan = { ...(result.Item.plan as T), status: result.Item.status, ...(result.Item.history ? { history: result.Item.history } : {}) } as T;
    return { plan, eventsPublished: result.Item.eventsPublished === true, revision: Number(result.Item.revision ?? 1) };
  }

  getProductionSchedule(tenantId: string, planDate: LocalDate): Promise<StoredPlan<ProductionSchedule> | null> {
    return this.getPlan(keys.productionSchedule(tenantId, planDate));
  }

  getProcurementPlan(tenantId: string, planDate: LocalDate, version: number): Promise<StoredPlan<ProcurementPlan> | null> {
    return this.getPlan(keys.procurementPlan(tenantId, planDate, version));
  }

  async markEventsPublished(tenantId: string, plan: Pick<PlanSummary, 'kind' | 'planDate' | 'version'>): Promise<void> {
    await this.ctx.doc.send(
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: planKey(tenantId, plan),
        UpdateExpression: 'SET eventsPublished = :yes',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':yes': true },
      }),
    );
  }

  async listPlanSummaries(tenantId: string, kind?: PlanSummary['kind']): Promise<PlanSummary[]> {
    const items = await queryAll(this.ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      ProjectionExpression: 'kind, planId, planDate, #status, version, revision',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': keys.tenantPartition(tenantId), ':prefix': kind ? keys.planKindPrefix(kind) : keys.planPrefix },
    });
    return items.map((item) => ({
      kind: item.kind as PlanSummary['kind'],
      planId: String(item.planId),
      planDate: String(item.planDate),
      status: item.status as PlanSummary['status'],
      version: Number(item.version),
      revision: Number(item.revision ?? 1),
    }));
  }

  async claimEscalation(tenantId: string, plan: PlanSummary, day: LocalDate, event: PlanEvent): Promise<boolean> {
    try {
      await this.ctx.doc.send(new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: planKey(tenantId, plan),
        UpdateExpression: 'SET escalatedOn = :day, outbox = list_append(if_not_exists(outbox, :empty), :event)',
        ConditionExpression: 'attribute_exists(PK) AND (attribute_not_exists(escalatedOn) OR escalatedOn <> :day)',
        ExpressionAttributeValues: { ':day': day, ':empty': [], ':event': [event] },
      }));
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }

  async listOutboxes(tenantId: string): Promise<{ plan: PlanSummary; events: PlanEvent[] }[]> {
    const items = await queryAll(this.ctx, {
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
      FilterExpression: 'size(outbox) > :zero',
      ProjectionExpression: 'kind, planId, planDate, #status, version, revision, outbox',
      ExpressionAttributeNames: { '#status': 'status' },
      ExpressionAttributeValues: { ':pk': keys.tenantPartition(tenantId), ':prefix': keys.planPrefix, ':zero': 0 },
    });
    return items.map((item) => ({
      plan: {
        kind: item.kind as PlanSummary['kind'], planId: String(item.planId), planDate: String(item.planDate),
        status: item.status as PlanSummary['status'], version: Number(item.version), revision: Number(item.revision ?? 1),
      },
      events: item.outbox as PlanEvent[],
    }));
  }

  async clearOutbox(tenantId: string, plan: PlanSummary, events: readonly PlanEvent[]): Promise<void> {
    // Remove exactly the published events (by position), unless a newer change appended more meanwhile.
    try {
      await this.ctx.doc.send(new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: planKey(tenantId, plan),
        UpdateExpression: 'REMOVE outbox',
        ConditionExpression: 'size(outbox) = :count',
        ExpressionAttributeValues: { ':count': events.length },
      }));
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      // More events arrived: the next sweep publishes them all again (ids are stable), then clears.
    }
  }

  async changeStatus(
    tenantId: string,
    plan: PlanSummary,
    to: ProductionStatus | ProcurementStatus,
    entry: ApprovalHistoryEntry | null,
    expectedRevision?: number,
    outbox?: readonly PlanEvent[],
  ): Promise<boolean> {
    try {
      await this.ctx.doc.send(
        new UpdateCommand({
          TableName: this.ctx.tableName,
          Key: planKey(tenantId, plan),
          UpdateExpression: `SET #status = :to, revision = if_not_exists(revision, :one) + :one${entry ? ', history = list_append(if_not_exists(history, :empty), :entry)' : ''}${outbox?.length ? ', outbox = list_append(if_not_exists(outbox, :empty), :outbox)' : ''}`,
          // The status read, and (for operators) the revision read: a concurrent change makes this fail.
          ConditionExpression: expectedRevision === undefined ? '#status = :from' : '#status = :from AND revision = :revision',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':to': to, ':from': plan.status, ':one': 1,
            ...(entry || outbox?.length ? { ':empty': [] } : {}),
            ...(entry ? { ':entry': [entry] } : {}),
            ...(outbox?.length ? { ':outbox': outbox } : {}),
            ...(expectedRevision === undefined ? {} : { ':revision': expectedRevision }),
          },
        }),
      );
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  }
}
