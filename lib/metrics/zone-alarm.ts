// The per-zone "scheduler silent" alarm, defined once: the CDK stack creates it for the zones it owns,
// the schedule sync for zones that appear at run time (and deletes it when the zone empties).
import { METRICS_NAMESPACE } from './catalogue.ts';

export const SCHEDULER_SILENCE_HOURS = 25;

export interface ZoneSilenceAlarm {
  alarmName: string;
  description: string;
  namespace: string;
  metricName: 'SchedulerLastRunTimestamp';
  dimensions: { Job: 'production'; Timezone: string };
  statistic: 'SampleCount';
  periodSeconds: number;
  evaluationPeriods: number;
  threshold: number;
  comparison: 'LessThanThreshold';
  treatMissingData: 'breaching';
}

export function zoneSilenceAlarm(timezone: string): ZoneSilenceAlarm {
  return {
    alarmName: `SchedulerUnhealthy-${timezone.replaceAll('/', '-')}`,
    description: `No successful production fan-out for ${timezone} in ${SCHEDULER_SILENCE_HOURS} hours. See docs/runbook.md#schedulerunhealthy.`,
    namespace: METRICS_NAMESPACE,
    metricName: 'SchedulerLastRunTimestamp',
    dimensions: { Job: 'production', Timezone: timezone },
    statistic: 'SampleCount',
    periodSeconds: 3600,
    evaluationPeriods: SCHEDULER_SILENCE_HOURS,
    threshold: 1,
    comparison: 'LessThanThreshold',
    treatMissingData: 'breaching',
  };
}
