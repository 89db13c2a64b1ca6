import {
  CloudWatchClient,
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
  ResourceNotFound,
} from '@aws-sdk/client-cloudwatch';
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import type { Context, DynamoDBStreamEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { createScheduleSyncHandler } from '../../functions/schedule-sync/handler.ts';
import { EventBridgeScheduleStore } from '../../lib/aws/scheduler-store.ts';
import { CloudWatchZoneAlarmStore } from '../../lib/aws/zone-alarm-store.ts';
import { createLogger } from '../../lib/log.ts';

const scheduler = mockClient(SchedulerClient);
const cloudWatch = mockClient(CloudWatchClient);
const target = {
  groupName: 'bakery-planner',
  fanOutFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:fan-out',
  roleArn: 'arn:aws:iam::1:role/scheduler',
  deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:1:scheduler-dlq',
};
const handler = createScheduleSyncHandler(() => ({
  store: new EventBridgeScheduleStore(scheduler as unknown as SchedulerClient, target),
  alarms: new CloudWatchZoneAlarmStore(cloudWatch as unknown as CloudWatchClient, 'arn:aws:sns:eu-west-1:1:alarms'),
  testMode: false,
  staticZones: ['Europe/Madrid'],
  log: createLogger(() => undefined),
}));

function zoneRecord(timezone: string, before: number | null, after: number | null, sequence = '1') {
  const image = (n: number | null) =>
    n === null
      ? undefined
      : { PK: { S: 'ZONES' }, SK: { S: timezone }, timezone: { S: timezone }, tenants: { N: String(n) } };
  return {
    eventName: before === null ? 'INSERT' : after === null ? 'REMOVE' : 'MODIFY',
    dynamodb: { SequenceNumber: sequence, OldImage: image(before), NewImage: image(after) },
  };
}
const run = (...records: ReturnType<typeof zoneRecord>[]) =>
  handler({ Records: records } as unknown as DynamoDBStreamEvent, {} as Context);

describe('schedule sync', () => {
  beforeEach(() => {
    scheduler.reset();
    cloudWatch.reset();
    cloudWatch.on(PutMetricAlarmCommand).resolves({});
    cloudWatch.on(DeleteAlarmsCommand).resolves({});
  });

  it('creates the five schedules of a zone when its first tenant appears, exactly as the stack would', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    expect(await run(zoneRecord('Asia/Kathmandu', null, 1))).toEqual({ batchItemFailures: [] });
    const inputs = scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input);
    expect(inputs.map((i) => [i.Name, i.ScheduleExpression])).toEqual([
      ['model-refit-Asia-Kathmandu', 'cron(0 4 * * ? *)'],
      ['production-Asia-Kathmandu', 'cron(30 5 * * ? *)'],
      ['cleanup-Asia-Kathmandu', 'cron(50 5 * * ? *)'],
      ['procurement-Asia-Kathmandu', 'cron(0 6 * * ? *)'],
      ['review-Asia-Kathmandu', 'cron(0 0,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23 * * ? *)'],
    ]);
    expect(inputs[1]).toEqual({
      Name: 'production-Asia-Kathmandu',
      GroupName: 'bakery-planner',
      Description: 'Bakery planner: production for tenants in Asia/Kathmandu',
      ScheduleExpression: 'cron(30 5 * * ? *)',
      ScheduleExpressionTimezone: 'Asia/Kathmandu',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: target.fanOutFunctionArn,
        RoleArn: target.roleArn,
        Input: '{"job":"production","timezone":"Asia/Kathmandu","scheduledTime":"<aws.scheduler.scheduled-time>"}',
        RetryPolicy: { MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: target.deadLetterQueueArn },
      },
    });
    expect(cloudWatch.commandCalls(PutMetricAlarmCommand).map((c) => c.args[0].input)).toEqual([
      {
        AlarmName: 'SchedulerUnhealthy-Asia-Kathmandu',
        AlarmDescription:
          'No production fan-out for Asia/Kathmandu in 27 hours (the age of its last run). See docs/runbook.md#schedulerunhealthy.',
        Namespace: 'BakeryPlanner',
        MetricName: 'SchedulerLastRunTimestamp',
        Dimensions: [
          { Name: 'Job', Value: 'production' },
          { Name: 'Timezone', Value: 'Asia/Kathmandu' },
        ],
        Statistic: 'SampleCount',
        Period: 3600,
        EvaluationPeriods: 27,
        DatapointsToAlarm: 27,
        Threshold: 1,
        ComparisonOperator: 'LessThanThreshold',
        TreatMissingData: 'breaching',
        AlarmActions: ['arn:aws:sns:eu-west-1:1:alarms'],
      },
    ]);
  });

  it('creates no duplicate when the same change is delivered again: it updates the existing schedules', async () => {
    scheduler
      .on(CreateScheduleCommand)
      .rejects(new ConflictException({ message: 'exists', Message: 'exists', $metadata: {} }));
    scheduler.on(UpdateScheduleCommand).resolves({});
    expect(await run(zoneRecord('Asia/Kathmandu', null, 1))).toEqual({ batchItemFailures: [] });
    expect(scheduler.commandCalls(CreateScheduleCommand)).toHaveLength(5);
    expect(scheduler.commandCalls(UpdateScheduleCommand).map((c) => c.args[0].input.Name)).toEqual([
      'model-refit-Asia-Kathmandu',
      'production-Asia-Kathmandu',
      'cleanup-Asia-Kathmandu',
      'procurement-Asia-Kathmandu',
      'review-Asia-Kathmandu',
    ]);
  });

  it('does nothing when a zone that already has tenants gains another', async () => {
    expect(await run(zoneRecord('Asia/Kathmandu', 1, 2))).toEqual({ batchItemFailures: [] });
    expect(scheduler.calls()).toHaveLength(0);
  });

  it('deletes the schedules when the last tenant leaves, and tolerates ones already gone', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    scheduler
      .on(DeleteScheduleCommand, { Name: 'cleanup-Asia-Kathmandu' })
      .rejects(new ResourceNotFoundException({ message: 'gone', Message: 'gone', $metadata: {} }));
    expect(await run(zoneRecord('Asia/Kathmandu', 1, 0))).toEqual({ batchItemFailures: [] });
    expect(scheduler.commandCalls(DeleteScheduleCommand).map((c) => c.args[0].input)).toEqual([
      { Name: 'model-refit-Asia-Kathmandu', GroupName: 'bakery-planner' },
      { Name: 'production-Asia-Kathmandu', GroupName: 'bakery-planner' },
      { Name: 'cleanup-Asia-Kathmandu', GroupName: 'bakery-planner' },
      { Name: 'procurement-Asia-Kathmandu', GroupName: 'bakery-planner' },
      { Name: 'review-Asia-Kathmandu', GroupName: 'bakery-planner' },
    ]);
    expect(cloudWatch.commandCalls(DeleteAlarmsCommand).map((c) => c.args[0].input)).toEqual([
      { AlarmNames: ['SchedulerUnhealthy-Asia-Kathmandu'] },
    ]);
  });

  it('tolerates an alarm that is already gone', async () => {
    scheduler.on(DeleteScheduleCommand).resolves({});
    cloudWatch.on(DeleteAlarmsCommand).rejects(new ResourceNotFound({ message: 'gone', $metadata: {} }));
    expect(await run(zoneRecord('Asia/Kathmandu', 1, 0))).toEqual({ batchItemFailures: [] });
  });

  it('leaves the schedules of zones the stack owns alone', async () => {
    expect(await run(zoneRecord('Europe/Madrid', 1, 0), zoneRecord('Europe/Madrid', null, 1))).toEqual({
      batchItemFailures: [],
    });
    expect(scheduler.calls()).toHaveLength(0);
    expect(cloudWatch.calls()).toHaveLength(0);
  });

  it('reports the record that failed so that the stream retries from it, not after it', async () => {
    scheduler.on(CreateScheduleCommand).resolves({});
    scheduler.on(CreateScheduleCommand, { Name: 'production-Asia-Tokyo' }).rejects(new Error('throttled'));
    const response = await run(
      zoneRecord('Asia/Kolkata', null, 1, '100'),
      zoneRecord('Asia/Tokyo', null, 1, '200'),
      zoneRecord('Asia/Seoul', null, 1, '300'),
    );
    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: '200' }] });
    expect(scheduler.commandCalls(CreateScheduleCommand).map((c) => c.args[0].input.Name)).not.toContain(
      'production-Asia-Seoul',
    );
  });
});
