// The per-zone "scheduler silent" alarm, defined once: the CDK stack creates it for the zones it owns,
// the schedule sync for zones that appear at run time (and deletes it when the zone empties).
import { METRICS_NAMESPACE } from './catalogue.ts';

/**
 * The alarm fires when a zone's production fan-out has not run for this many hours: more than the
 * longest local day (26 hours, Antarctica/Troll's autumn change) plus an hour of period alignment, less
 * than the shortest gap a missed day leaves (two days, at least 22 + 23 hours).
 */
export const SCHEDULER_SILENCE_HOURS = 27;

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
    description: `No production fan-out for ${timezone} in ${SCHEDULER_SILENCE_HOURS} hours (the age of its last run). See docs/runbook.md#schedulerunhealthy.`,
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

/**
 * The alarm's rule, as CloudWatch evaluates it: hourly periods aligned to the UTC hour, each holding
 * the fan-outs that ran in it; in ALARM at the end of an hour when the last `evaluationPeriods` periods
 * were all empty (missing data breaches). Returns the first such instant in [from, to], or null;
 * `from` should be a run (what came before it is not known).
 */
export function firstSilenceAlarm(
  runs: readonly Date[],
  from: Date,
  to: Date,
  alarm: Pick<ZoneSilenceAlarm, 'periodSeconds' | 'evaluationPeriods'>,
): Date | null {
  const period = alarm.periodSeconds * 1000;
  const buckets = new Set(runs.map((run) => Math.floor(run.getTime() / period)));
  let empty = 0;
  for (let bucket = Math.floor(from.getTime() / period); (bucket + 1) * period <= to.getTime(); bucket += 1) {
    empty = buckets.has(bucket) ? 0 : empty + 1;
    if (empty >= alarm.evaluationPeriods) return new Date((bucket + 1) * period);
  }
  return null;
}
