// Schedule-sync Lambda: reads the zone registry's changes from the table's stream and creates or
// deletes that zone's schedules and its scheduler-silence alarm. Failed records are reported so that only they are retried.

import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { SchedulerClient } from '@aws-sdk/client-scheduler';
import middy from '@middy/core';
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { syncZoneSchedules, type ZoneCountChange } from '../../lib/app/schedule-sync.ts';
import { EventBridgeScheduleStore } from '../../lib/aws/scheduler-store.ts';
import { CloudWatchZoneAlarmStore } from '../../lib/aws/zone-alarm-store.ts';
import { scheduleSyncConfig } from '../../lib/config.ts';
import { createLogger, type Logger } from '../../lib/log.ts';
import type { ScheduleStore, ZoneAlarmStore } from '../../lib/ports.ts';
import { logFailures } from '../middleware.ts';

export interface ScheduleSyncDeps {
  store: ScheduleStore;
  alarms: ZoneAlarmStore;
  testMode: boolean;
  staticZones: string[];
  log: Logger;
}

type Image = Record<string, { S?: string; N?: string }> | undefined;

function zoneChange(oldImage: Image, newImage: Image): ZoneCountChange | null {
  const timezone = newImage?.timezone?.S ?? oldImage?.timezone?.S;
  if (!timezone) return null;
  return {
    timezone,
    tenantsBefore: Number(oldImage?.tenants?.N ?? 0),
    tenantsAfter: Number(newImage?.tenants?.N ?? 0),
  };
}

export function createScheduleSyncHandler(deps: () => ScheduleSyncDeps) {
  return middy(async (event: DynamoDBStreamEvent): Promise<DynamoDBBatchResponse> => {
    const { store, alarms, testMode, staticZones, log } = deps();
    const batchItemFailures: DynamoDBBatchResponse['batchItemFailures'] = [];
    // In order, one record at a time: a later record of the same zone must see the earlier one applied.
    for (const record of event.Records) {
      const change = zoneChange(record.dynamodb?.OldImage as Image, record.dynamodb?.NewImage as Image);
      if (!change) continue;
      try {
        await syncZoneSchedules(store, alarms, [change], { testMode, staticZones }, log);
      } catch (error) {
        log.error('Schedule sync failed; the stream will retry from this record', { timezone: change.timezone, error });
        batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? '' });
        break; // later records must not overtake this one
      }
    }
    return { batchItemFailures };
  }).use(logFailures(() => deps().log));
}

let cached: ScheduleSyncDeps | undefined;
function cloudDeps(): ScheduleSyncDeps {
  if (cached) return cached;
  const config = scheduleSyncConfig();
  cached = {
    store: new EventBridgeScheduleStore(new SchedulerClient({}), {
      groupName: config.groupName,
      fanOutFunctionArn: config.fanOutFunctionArn,
      roleArn: config.roleArn,
      deadLetterQueueArn: config.deadLetterQueueArn,
    }),
    alarms: new CloudWatchZoneAlarmStore(new CloudWatchClient({}), config.alarmTopicArn),
    testMode: config.testMode,
    staticZones: config.staticZones,
    log: createLogger(),
  };
  return cached;
}

export const handler = createScheduleSyncHandler(cloudDeps);
