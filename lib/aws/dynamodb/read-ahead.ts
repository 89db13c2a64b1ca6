// A tenant job's read set in DynamoDB: the items a job names, read in one BatchGetItem (eventually
// consistent, half a read unit per item of up to 4 KB) into the job's context (job-reads.ts), from
// which the stores' later reads of those items are answered. A stale answer cannot do harm: plans and
// forecast dates are written on a condition, which fails and reads again, as on a concurrent write.
import { currentJobReads } from '../../job-signal.ts';
import type { ReadAhead, ReadAheadWants } from '../../ports.ts';
import { batchGetAll, type TableContext } from './client.ts';
import { keys, type SnapshotKind } from './table-layout.ts';

/** Procurement versions read ahead per date: the first plan and its first regeneration. */
const PROCUREMENT_VERSIONS = [1, 2];

const SNAPSHOTS: [keyof ReadAheadWants, SnapshotKind][] = [
  ['catalog', 'CATALOG'],
  ['stock', 'STOCK'],
  ['drivers', 'DRIVERS'],
];

export class DynamoReadAhead implements ReadAhead {
  constructor(private readonly ctx: TableContext) {}

  async prefetch(tenantId: string, wants: ReadAheadWants): Promise<void> {
    if (!currentJobReads()) return;
    const wanted = [
      ...(wants.profile ? [keys.tenant(tenantId)] : []),
      ...(wants.calendar ? [keys.calendar(tenantId)] : []),
      ...SNAPSHOTS.filter(([want]) => wants[want]).map(([, kind]) => keys.snapshotHead(tenantId, kind)),
      ...(wants.productionPlans ?? []).map((date) => keys.productionSchedule(tenantId, date)),
      ...(wants.procurementPlans ?? []).flatMap((date) =>
        PROCUREMENT_VERSIONS.map((version) => keys.procurementPlan(tenantId, date, version)),
      ),
      ...(wants.forecastDates ?? []).map((date) => keys.forecastDate(tenantId, date)),
      ...(wants.qualityDates ?? []).map((date) => keys.qualityDay(tenantId, date)),
      ...(wants.salesMonths ?? []).map((month) => keys.salesMonth(tenantId, month)),
      ...[...new Set((wants.qualityDates ?? []).map((date) => date.slice(0, 7)))].map((month) =>
        keys.qualityMonth(tenantId, month),
      ),
    ];
    await batchGetAll(this.ctx, wanted);
  }
}
