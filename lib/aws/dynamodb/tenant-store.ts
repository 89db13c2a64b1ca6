// Tenants, their zone index (which tenants does a schedule for a zone concern) and the zone registry
// (which zones are in use, kept exact in the same transaction as each tenant write).
import { GetCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Tenant } from '../../domain.ts';
import { JOB_NAMES, type JobName } from '../../jobs/job-table.ts';
import type { Logger } from '../../log.ts';
import { DEFAULT_CURRENCY, DEFAULT_LOCALE } from '../../money.ts';
import type { Page, TenantStore, ZoneInUse } from '../../ports.ts';
import { assertTimezone, isValidTimezone, resolveTimezone } from '../../time/tenant-clock.ts';
import { queryAll, queryPage, send, type TableContext } from './client.ts';
import { keys, ZONE_INDEX } from './table-layout.ts';

export class DynamoTenantStore implements TenantStore {
  constructor(
    private readonly ctx: TableContext,
    private readonly log: Logger,
  ) {}

  async putTenant(tenant: Tenant): Promise<void> {
    const timezone = assertTimezone(tenant.timezone);
    const key = keys.tenant(tenant.tenantId);
    const existing = await send(
      this.ctx,
      new GetCommand({ TableName: this.ctx.tableName, Key: key, ConsistentRead: true }),
    );
    // The zone the registry counts the tenant in: the name as stored (an older item may hold an alias
    // such as "US/Eastern"; one without a zone is counted nowhere yet).
    const stored = existing.Item?.timezone;
    const previousZone = typeof stored === 'string' && isValidTimezone(stored) ? stored : null;
    const zoneUpdate = (zone: string, delta: number) => ({
      Update: {
        TableName: this.ctx.tableName,
        Key: keys.zoneRegistry(zone),
        UpdateExpression: 'ADD tenants :delta SET #tz = :zone',
        ExpressionAttributeNames: { '#tz': 'timezone' },
        ExpressionAttributeValues: { ':delta': delta, ':zone': zone },
      },
    });
    await send(
      this.ctx,
      new TransactWriteCommand({
        TransactItems: [
          {
            Put: {
              TableName: this.ctx.tableName,
              Item: { ...key, ...keys.tenantZoneIndex(tenant.tenantId, timezone), type: 'Tenant', ...tenant, timezone },
              // Optimistic: the zone counts stay exact only if nobody moved the tenant meanwhile.
              ConditionExpression: existing.Item ? '#tz = :previous' : 'attribute_not_exists(PK)',
              ...(existing.Item
                ? {
                    ExpressionAttributeNames: { '#tz': 'timezone' },
                    ExpressionAttributeValues: { ':previous': existing.Item.timezone },
                  }
                : {}),
            },
          },
          ...(previousZone === timezone ? [] : [zoneUpdate(timezone, 1)]),
          ...(previousZone !== null && previousZone !== timezone ? [zoneUpdate(previousZone, -1)] : []),
        ],
      }),
    );
  }

  async getTenant(tenantId: string): Promise<Tenant | null> {
    const result = await send(this.ctx, new GetCommand({ TableName: this.ctx.tableName, Key: keys.tenant(tenantId) }));
    return result.Item ? this.toTenant(result.Item) : null;
  }

  async listTenantsInZone(timezone: string): Promise<Tenant[]> {
    const items = await queryAll(this.ctx, {
      IndexName: ZONE_INDEX.name,
      KeyConditionExpression: '#pk = :zone',
      ExpressionAttributeNames: { '#pk': ZONE_INDEX.partition },
      ExpressionAttributeValues: { ':zone': keys.zoneIndexPartition(timezone) },
    });
    return items.map((item) => this.toTenant(item));
  }

  async tenantsInZonePage(timezone: string, limit: number, cursor?: string): Promise<Page<Tenant>> {
    const page = await queryPage(
      this.ctx,
      {
        IndexName: ZONE_INDEX.name,
        KeyConditionExpression: '#pk = :zone',
        ExpressionAttributeNames: { '#pk': ZONE_INDEX.partition },
        ExpressionAttributeValues: { ':zone': keys.zoneIndexPartition(timezone) },
      },
      limit,
      cursor,
    );
    return { ...page, items: page.items.map((item) => this.toTenant(item)) };
  }

  /**
   * Runs live in their own partition (the registry's stream, schedule sync, sees only tenant counts
   * change), one item per zone with an attribute per firing, `<job>@<firing key>`: concurrent firings
   * write different attributes, and a late retry adds its own.
   */
  async recordZoneRun(
    timezone: string,
    job: JobName,
    firingKey: string,
    forget: readonly string[] = [],
  ): Promise<void> {
    // The job's own attribute is the record written before per-firing records (runsOf): superseded now.
    const names = Object.fromEntries(
      [job, ...forget.map((key) => runAttribute(job, key))].map((n, i) => [`#f${i}`, n]),
    );
    await send(
      this.ctx,
      new UpdateCommand({
        TableName: this.ctx.tableName,
        Key: keys.zoneRuns(timezone),
        UpdateExpression: `SET #run = :ran, #tz = :zone REMOVE ${Object.keys(names).join(', ')}`,
        ExpressionAttributeNames: { '#run': runAttribute(job, firingKey), '#tz': 'timezone', ...names },
        ExpressionAttributeValues: { ':ran': true, ':zone': timezone },
      }),
    );
  }

  async zoneRuns(timezone: string): Promise<Partial<Record<JobName, string[]>>> {
    const { Item } = await send(
      this.ctx,
      new GetCommand({ TableName: this.ctx.tableName, Key: keys.zoneRuns(timezone) }),
    );
    return runsOf(Item);
  }

  async listZones(): Promise<ZoneInUse[]> {
    const partition = (pk: string) =>
      queryAll(this.ctx, { KeyConditionExpression: 'PK = :pk', ExpressionAttributeValues: { ':pk': pk } });
    const [zones, runs] = await Promise.all([partition(keys.zoneRegistryPartition), partition(keys.zoneRunsPartition)]);
    const runsByZone = new Map(runs.map((item) => [String(item.timezone), item]));
    return zones
      .map((item) => ({
        timezone: String(item.timezone),
        tenants: Number(item.tenants ?? 0),
        runs: runsOf(runsByZone.get(String(item.timezone))),
      }))
      .filter((zone) => zone.tenants > 0);
  }

  private toTenant(item: Record<string, unknown>): Tenant {
    const timezone = resolveTimezone(item.timezone, (value) =>
      this.log.warn('Stored tenant timezone is invalid; using the default', {
        tenantId: item.tenantId,
        storedTimezone: value,
      }),
    );
    return {
      tenantId: String(item.tenantId),
      name: String(item.name ?? item.tenantId),
      timezone,
      demo: item.demo === true,
      currency: typeof item.currency === 'string' ? item.currency : DEFAULT_CURRENCY,
      locale: typeof item.locale === 'string' ? item.locale : DEFAULT_LOCALE,
      ...(typeof item.reviewDeadline === 'string' ? { reviewDeadline: item.reviewDeadline } : {}),
      ...(item.openingHours ? { openingHours: item.openingHours as Tenant['openingHours'] } : {}),
      ...(typeof item.publicHolidays === 'string' ? { publicHolidays: item.publicHolidays } : {}),
      createdAt: String(item.createdAt ?? ''),
      ...(item.handover ? { handover: item.handover as Tenant['handover'] } : {}),
    };
  }
}

const runAttribute = (job: JobName, firingKey: string) => `${job}@${firingKey}`;

/**
 * A zone's recorded firing keys by job, oldest first. Items written before per-firing records keep the
 * job's latest key under the job's own name: it counts as one more record.
 */
function runsOf(item: Record<string, unknown> | undefined): Partial<Record<JobName, string[]>> {
  const runs: Partial<Record<JobName, string[]>> = {};
  for (const name of Object.keys(item ?? {})) {
    const [job, key] = name.includes('@') ? name.split('@') : [name, item![name]];
    if (!JOB_NAMES.includes(job as JobName) || typeof key !== 'string') continue;
    runs[job as JobName] = [...(runs[job as JobName] ?? []), key];
  }
  for (const keys of Object.values(runs)) keys.sort();
  return runs;
}
