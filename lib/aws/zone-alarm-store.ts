// CloudWatch adapter for the per-zone scheduler alarms that the schedule sync manages.
import {
  type CloudWatchClient,
  DeleteAlarmsCommand,
  PutMetricAlarmCommand,
  ResourceNotFound,
} from '@aws-sdk/client-cloudwatch';
import type { ZoneSilenceAlarm } from '../metrics/zone-alarm.ts';
import type { ZoneAlarmStore } from '../ports.ts';

export class CloudWatchZoneAlarmStore implements ZoneAlarmStore {
  constructor(
    private readonly cloudWatch: CloudWatchClient,
    private readonly alarmTopicArn: string,
  ) {}

  async put(alarm: ZoneSilenceAlarm): Promise<void> {
    await this.cloudWatch.send(
      new PutMetricAlarmCommand({
        AlarmName: alarm.alarmName,
        AlarmDescription: alarm.description,
        Namespace: alarm.namespace,
        MetricName: alarm.metricName,
        Dimensions: Object.entries(alarm.dimensions).map(([Name, Value]) => ({ Name, Value })),
        Statistic: alarm.statistic,
        Period: alarm.periodSeconds,
        EvaluationPeriods: alarm.evaluationPeriods,
        DatapointsToAlarm: alarm.evaluationPeriods,
        Threshold: alarm.threshold,
        ComparisonOperator: alarm.comparison,
        TreatMissingData: alarm.treatMissingData,
        AlarmActions: [this.alarmTopicArn],
      }),
    );
  }

  async remove(alarmName: string): Promise<void> {
    try {
      await this.cloudWatch.send(new DeleteAlarmsCommand({ AlarmNames: [alarmName] }));
    } catch (error) {
      if (!(error instanceof ResourceNotFound)) throw error;
    }
  }
}
