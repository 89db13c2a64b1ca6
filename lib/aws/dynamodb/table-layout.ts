// The single table's key layout: every key, index and TTL attribute is built here and nowhere else.
// docs/data-model.md describes the same layout with its access patterns.
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import type { LocalDate } from '../../time/tenant-clock.ts';

export type SnapshotKind = 'CATALOG' | 'STOCK' | 'MODEL' | 'DRIVERS';

export const TABLE_KEYS = { partition: 'PK', sort: 'SK' } as const;
export const TTL_ATTRIBUTE = 'expiresAt';
export const ZONE_INDEX = { name: 'GSI1', partition: 'GSI1PK', sort: 'GSI1SK' } as const;
/**
 * A sparse index of the plans waiting for a person (keys only): a plan carries `reviewDue` while it
 * is a draft or pending approval, so the review job's firing reads only the tenants it concerns.
 */
export const REVIEW_INDEX = { name: 'GSI2', partition: 'reviewDue', sort: 'PK' } as const;

/**
 * Plans stay in the table this long after their date (cleanup archives completed ones at 91 days), then
 * TTL removes them; the monthly table exports to S3 keep them past 400 days (infra: PlanArchive).
 */
export const PLAN_RETENTION_DAYS = 100;

/**
 * The `type` of the items that carry events: the event relay's stream filter lets only these through.
 * `EventReplay` is an operator's item that puts a dead-lettered event back on the stream (runbook).
 */
export const EVENT_ITEM_TYPES = [
  'ProductionSchedule',
  'ProcurementPlan',
  'Escalation',
  'EventReplay',
  'WebhookEndpoint',
  'PlanQualityDay',
  'PlanQualityMonth',
] as const;

const pad3 = (n: number) => String(n).padStart(3, '0');

export const keys = {
  tenant: (tenantId: string) => ({ PK: `TENANT#${tenantId}`, SK: 'PROFILE' }),
  tenantZoneIndex: (tenantId: string, timezone: string) => ({
    GSI1PK: `ZONE#${timezone}`,
    GSI1SK: `TENANT#${tenantId}`,
  }),
  zoneIndexPartition: (timezone: string) => `ZONE#${timezone}`,
  /** The review index's key of a plan: its tenant's zone, its date and its tenant's review deadline. */
  reviewDue: (timezone: string, planDate: LocalDate, deadline: string) => `${timezone}#${planDate}#${deadline}`,
  zoneRegistry: (timezone: string) => ({ PK: 'ZONES', SK: timezone }),
  zoneRegistryPartition: 'ZONES',
  /** The plan date of each job's last fan-out per zone (compared by the catch-up sweep). */
  zoneRuns: (timezone: string) => ({ PK: 'ZONERUNS', SK: timezone }),
  zoneRunsPartition: 'ZONERUNS',
  tenantPartition: (tenantId: string) => `TENANT#${tenantId}`,
  /**
   * The catalog, the stock, the daily drivers and the fitted forecasting model are whole-document
   * snapshots: a head item and gzip chunks (snapshot-store.ts).
   */
  snapshotPrefix: (kind: SnapshotKind) => `${kind}#`,
  snapshotHead: (tenantId: string, kind: SnapshotKind) => ({ PK: `TENANT#${tenantId}`, SK: `${kind}#HEAD` }),
  snapshotChunk: (tenantId: string, kind: SnapshotKind, index: number) => ({
    PK: `TENANT#${tenantId}`,
    SK: `${kind}#PART#${pad3(index)}`,
  }),
  /** Sales of one product in one month: a map day → units, so a year of history is 12 small items. */
  /** Every product's sales of one month, packed. */
  salesMonth: (tenantId: string, month: string) => ({ PK: `TENANT#${tenantId}`, SK: `SALES#${month}` }),
  salesMonthBound: (month: string) => `SALES#${month}`,
  calendar: (tenantId: string) => ({ PK: `TENANT#${tenantId}`, SK: 'CALENDAR' }),
  /** A day's plan-quality summary (a small item: a write costs 1 WRU whatever the day of the month). */
  qualityDay: (tenantId: string, date: string) => ({ PK: `TENANT#${tenantId}`, SK: `QUALITY#${date}` }),
  /** A month of plan-quality summaries, one attribute per day (`d01`…`d31`): the earlier layout, still read. */
  qualityMonth: (tenantId: string, month: string) => ({ PK: `TENANT#${tenantId}`, SK: `QUALITY#${month}` }),
  /** Every product's actuals (sold, left over, carried over, sold out) of one month, packed. */
  actualsMonth: (tenantId: string, month: string) => ({ PK: `TENANT#${tenantId}`, SK: `ACTUALS#${month}` }),
  /** A request counter of one key (a tenant and a route group) and one fixed window (its start, epoch seconds). */
  requestWindow: (key: string, windowStart: number) => ({ PK: `LIMIT#${key}`, SK: String(windowStart) }),
  /** When a read last asked the jobs queue for a refit of the tenant's model. */
  refitRequest: (tenantId: string) => ({ PK: `TENANT#${tenantId}`, SK: 'REFIT#REQUEST' }),
  forecastPrefix: 'FORECAST#',
  /** Every product's cached forecast for one date (a map productId → forecast). */
  forecastDate: (tenantId: string, forecastDate: LocalDate) => ({
    PK: `TENANT#${tenantId}`,
    SK: `FORECAST#${forecastDate}`,
  }),
  forecastDateOf: (sortKey: string): LocalDate => sortKey.slice('FORECAST#'.length),
  cacheStats: (tenantId: string) => ({ PK: `TENANT#${tenantId}`, SK: 'CACHESTATS' }),
  /** The plans escalated on a local day: each plan escalates once a day, however often the jobs run. */
  escalations: (tenantId: string, day: LocalDate) => ({ PK: `TENANT#${tenantId}`, SK: `ESCALATION#${day}` }),
  /** An event the bus refused for itself: kept for a person, out of the other events' way. */
  deadLetterPrefix: 'DEADLETTER#',
  deadLetter: (tenantId: string, eventId: string) => ({ PK: `TENANT#${tenantId}`, SK: `DEADLETTER#${eventId}` }),
  /** A webhook endpoint of the tenant (its secrets sealed). */
  webhookPrefix: 'WEBHOOK#',
  webhook: (tenantId: string, endpointId: string) => ({ PK: `TENANT#${tenantId}`, SK: `WEBHOOK#${endpointId}` }),
  /** The endpoint's delivery slots (`s0`…: until when each is taken): its concurrency limit. */
  webhookSlots: (tenantId: string, endpointId: string) => ({ PK: `TENANT#${tenantId}`, SK: `WHSLOTS#${endpointId}` }),
  /** One delivery attempt, by endpoint and time: the endpoint's delivery log (TTL 30 days). */
  webhookAttemptBound: (endpointId: string, at: string) => `WHLOG#${endpointId}#${at}`,
  webhookAttempt: (tenantId: string, endpointId: string, at: string, eventId: string, attempt: number) => ({
    PK: `TENANT#${tenantId}`,
    SK: `WHLOG#${endpointId}#${at}#${eventId}#${pad3(attempt)}`,
  }),
  planPrefix: 'PLAN#',
  planKindPrefix: (kind: 'production' | 'procurement') => `PLAN#${kind.toUpperCase()}#`,
  productionSchedule: (tenantId: string, planDate: LocalDate) => ({
    PK: `TENANT#${tenantId}`,
    SK: `PLAN#PRODUCTION#${planDate}`,
  }),
  procurementPlan: (tenantId: string, planDate: LocalDate, version: number) => ({
    PK: `TENANT#${tenantId}`,
    SK: `PLAN#PROCUREMENT#${planDate}#v${pad3(version)}`,
  }),
};

/** The table definition for DynamoDB Local and tests; the CDK stack declares the same keys. */
export function tableDefinition(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: TABLE_KEYS.partition, AttributeType: 'S' },
      { AttributeName: TABLE_KEYS.sort, AttributeType: 'S' },
      { AttributeName: ZONE_INDEX.partition, AttributeType: 'S' },
      { AttributeName: ZONE_INDEX.sort, AttributeType: 'S' },
      { AttributeName: REVIEW_INDEX.partition, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: TABLE_KEYS.partition, KeyType: 'HASH' },
      { AttributeName: TABLE_KEYS.sort, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: ZONE_INDEX.name,
        KeySchema: [
          { AttributeName: ZONE_INDEX.partition, KeyType: 'HASH' },
          { AttributeName: ZONE_INDEX.sort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
      {
        IndexName: REVIEW_INDEX.name,
        KeySchema: [
          { AttributeName: REVIEW_INDEX.partition, KeyType: 'HASH' },
          { AttributeName: REVIEW_INDEX.sort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'KEYS_ONLY' },
      },
    ],
    // The stream the event relay reads (and schedule sync, for the zone registry).
    StreamSpecification: { StreamEnabled: true, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
}
