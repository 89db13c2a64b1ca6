// Keeps one set of schedules (and a scheduler-silence alarm) per timezone in use: created when a zone
// gets its first tenant, deleted when its last tenant leaves, without a redeploy. Zones declared at deploy time are the stack's and
// are never touched here. Every step is idempotent, so a retried stream batch converges.
import { zoneScheduleDefinitions } from '../jobs/schedules.ts';
import type { Logger } from '../log.ts';
import { zoneSilenceAlarm } from '../metrics/zone-alarm.ts';
import type { ScheduleStore, ZoneAlarmStore } from '../ports.ts';

export interface ZoneCountChange {
  timezone: string;
  tenantsBefore: number;
  tenantsAfter: number;
}

export interface ScheduleSyncOptions {
  testMode: boolean;
  /** Zones whose schedules the CDK stack owns. */
  staticZones: readonly string[];
}

export interface ScheduleSyncResult {
  created: string[];
  updated: string[];
  deleted: string[];
}

export async function syncZoneSchedules(
  store: ScheduleStore,
  alarms: ZoneAlarmStore,
  changes: readonly ZoneCountChange[],
  options: ScheduleSyncOptions,
  log: Logger,
): Promise<ScheduleSyncResult> {
  const result: ScheduleSyncResult = { created: [], updated: [], deleted: [] };
  // The last change of each zone in the batch decides: a zone emptied then refilled keeps its schedules.
  const latest = new Map(changes.map((c) => [c.timezone, c]));
  for (const change of latest.values()) {
    if (options.staticZones.includes(change.timezone)) continue;
    const definitions = zoneScheduleDefinitions(change.timezone, options.testMode);
    if (change.tenantsAfter > 0 && change.tenantsBefore <= 0) {
      for (const definition of definitions)
        result[(await store.upsert(definition)) === 'created' ? 'created' : 'updated'].push(definition.name);
      await alarms.put(zoneSilenceAlarm(change.timezone));
      log.info('Schedules ensured for a zone in use', { timezone: change.timezone, tenants: change.tenantsAfter });
    } else if (change.tenantsAfter <= 0 && change.tenantsBefore > 0) {
      for (const definition of definitions)
        if ((await store.remove(definition.name)) === 'deleted') result.deleted.push(definition.name);
      await alarms.remove(zoneSilenceAlarm(change.timezone).alarmName);
      log.info('Schedules removed for a zone nobody uses', { timezone: change.timezone });
    }
  }
  return result;
}
