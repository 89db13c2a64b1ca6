// Alarms and the dashboard, built on the metric catalogue (lib/metrics) so that names are typed once.

import { Duration } from 'aws-cdk-lib';
import {
  Alarm,
  ComparisonOperator,
  Dashboard,
  GraphWidget,
  type IMetric,
  MathExpression,
  Metric,
  SingleValueWidget,
  TreatMissingData,
} from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { JOB_NAMES, type JobName } from '../lib/jobs/job-table.ts';
import { CACHE_OPERATIONS, type Dimensions, METRICS_NAMESPACE, type MetricName } from '../lib/metrics/catalogue.ts';
import { SCHEDULER_SILENCE_HOURS, zoneSilenceAlarm } from '../lib/metrics/zone-alarm.ts';

const CACHE_HIT_RATE_THRESHOLD_PERCENT = 70;
/**
 * Share of the day's measured plans whose forecast error drifted that raises ForecastDrifting; below
 * DRIFT_MIN_MEASURED measured plans the share is taken of that many (a small fleet alarms on one drift).
 * Each drift already queues its tenant's refit: the alarm is for drift across the fleet.
 */
const DRIFT_RATE_THRESHOLD_PERCENT = 5;
const DRIFT_MIN_MEASURED = 20;
const TIMEOUTS_PER_HOUR_THRESHOLD = 3;
const CACHE_FAILURES_PER_HOUR_THRESHOLD = 5;

function plannerMetric<M extends MetricName>(
  name: M,
  dimensions: Dimensions<M>,
  statistic: string,
  period: Duration,
): Metric {
  return new Metric({
    namespace: METRICS_NAMESPACE,
    metricName: name,
    dimensionsMap: dimensions as Record<string, string>,
    statistic,
    period,
  });
}

/** A refit waiting this long means the training lane does not finish a day's refits within the day. */
const TRAINING_BEHIND_SECONDS = 12 * 3600;

/** The relay's iterator age that raises the alarm: half an hour of events not reaching the bus. */
const EVENTS_WAITING_ALARM_MS = 30 * 60_000;

export interface ObservabilityProps {
  alarmTopic: ITopic;
  zones: readonly string[];
  /** The function that publishes the table stream's events: its iterator age is how long events wait. */
  eventRelay: IFunction;
  /** The training lane's queue: its oldest message's age is how far the refits are behind. */
  trainingQueue: IQueue;
  deadLetterQueues: Record<string, IQueue>;
}

export class PlannerObservability extends Construct {
  readonly alarms: Alarm[] = [];

  constructor(scope: Construct, id: string, props: ObservabilityProps) {
    super(scope, id);
    const hour = Duration.hours(1);
    const day = Duration.days(1);
    const alarm = (
      alarmId: string,
      options: {
        metric: IMetric;
        threshold: number;
        comparison: ComparisonOperator;
        evaluationPeriods?: number;
        missing: TreatMissingData;
        description: string;
      },
    ) => {
      const created = new Alarm(this, alarmId, {
        alarmName: alarmId,
        alarmDescription: `${options.description} See docs/runbook.md#${alarmId.toLowerCase()}.`,
        metric: options.metric,
        threshold: options.threshold,
        comparisonOperator: options.comparison,
        evaluationPeriods: options.evaluationPeriods ?? 1,
        datapointsToAlarm: options.evaluationPeriods ?? 1,
        treatMissingData: options.missing,
      });
      created.addAlarmAction(new SnsAction(props.alarmTopic));
      this.alarms.push(created);
      return created;
    };
    const failures = (job: JobName) =>
      new MathExpression({
        expression: 'failed + timeout + invalid',
        usingMetrics: {
          failed: plannerMetric('TenantsProcessed', { Job: job, Status: 'failed' }, 'Sum', hour),
          timeout: plannerMetric('TenantsProcessed', { Job: job, Status: 'timeout' }, 'Sum', hour),
          invalid: plannerMetric('TenantsProcessed', { Job: 'unknown', Status: 'invalid' }, 'Sum', hour),
        },
        label: `${job} tenant failures`,
        period: hour,
      });

    const jobFailed = (name: string, job: JobName, description: string) =>
      alarm(name, {
        metric: failures(job),
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missing: TreatMissingData.NOT_BREACHING,
        description,
      });
    jobFailed(
      'DailyProductionPlanningFailed',
      'production',
      'At least one tenant production job failed or timed out in the last hour.',
    );
    jobFailed(
      'DailyProcurementPlanningFailed',
      'procurement',
      'At least one tenant procurement job failed or timed out in the last hour.',
    );
    jobFailed('DailyCleanupFailed', 'cleanup', 'At least one tenant cleanup job failed or timed out in the last hour.');
    jobFailed(
      'ModelRefitFailed',
      'model-refit',
      "At least one tenant's weekly model refit failed or timed out in the last hour (its daily jobs fit their own model meanwhile).",
    );
    alarm('ForecastCacheFailing', {
      metric: new MathExpression({
        expression: CACHE_OPERATIONS.map((op) => `f_${op}`).join(' + '),
        usingMetrics: Object.fromEntries(
          CACHE_OPERATIONS.map((op) => [
            `f_${op}`,
            plannerMetric('ForecastCacheFailures', { Operation: op }, 'Sum', hour),
          ]),
        ),
        label: 'forecast cache failures',
        period: hour,
      }),
      threshold: CACHE_FAILURES_PER_HOUR_THRESHOLD,
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      missing: TreatMissingData.NOT_BREACHING,
      description: `The forecast cache failed ${CACHE_FAILURES_PER_HOUR_THRESHOLD} or more times in an hour (plans are still built, from recomputed forecasts).`,
    });
    alarm('ForecastDrifting', {
      metric: new MathExpression({
        expression: `100 * drifts / IF(measured > ${DRIFT_MIN_MEASURED}, measured, ${DRIFT_MIN_MEASURED})`,
        usingMetrics: {
          drifts: plannerMetric('ForecastDrift', {}, 'Sum', day),
          measured: plannerMetric('PlanScore', {}, 'SampleCount', day),
        },
        label: 'measured plans whose forecast drifted (%)',
        period: day,
      }),
      threshold: DRIFT_RATE_THRESHOLD_PERCENT,
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      missing: TreatMissingData.NOT_BREACHING,
      description: `${DRIFT_RATE_THRESHOLD_PERCENT} % or more of the plans measured in 24 hours (of at least ${DRIFT_MIN_MEASURED}) had a forecast error far above their tenant's usual (each tenant's refit is already queued): the log names the tenants.`,
    });
    alarm('EventDeadLetters', {
      metric: plannerMetric('EventDeadLetters', {}, 'Sum', Duration.minutes(5)),
      threshold: 1,
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      missing: TreatMissingData.NOT_BREACHING,
      description: 'The bus refused an event for itself; it was kept as a dead-letter record.',
    });
    alarm('EventsWaiting', {
      // How old the oldest record the relay has not done is: events wait for the bus that long.
      metric: props.eventRelay.metric('IteratorAge', { statistic: 'Maximum', period: Duration.minutes(5) }),
      threshold: EVENTS_WAITING_ALARM_MS,
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 3,
      missing: TreatMissingData.NOT_BREACHING,
      description:
        'Plan events have waited over 30 minutes for the bus (the stream keeps them 24 hours): the bus or the relay is failing.',
    });
    alarm('NoProductionSchedulesGenerated', {
      metric: plannerMetric('ProductionSchedulesGenerated', { Status: 'created' }, 'Sum', day),
      threshold: 1,
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      missing: TreatMissingData.BREACHING,
      description: 'No production schedule was created for any tenant in 24 hours.',
    });
    alarm('ForecastCacheHitRateLow', {
      metric: new MathExpression({
        expression: '100 * hits / (hits + misses)',
        usingMetrics: {
          hits: plannerMetric('ForecastCacheHits', {}, 'Sum', day),
          misses: plannerMetric('ForecastCacheMisses', {}, 'Sum', day),
        },
        label: 'forecast cache hit rate (%)',
        period: day,
      }),
      threshold: CACHE_HIT_RATE_THRESHOLD_PERCENT,
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      missing: TreatMissingData.NOT_BREACHING,
      description: `The forecast cache served under ${CACHE_HIT_RATE_THRESHOLD_PERCENT} % of lookups in 24 hours.`,
    });
    alarm('HighTenantProcessingTimeouts', {
      metric: new MathExpression({
        expression: JOB_NAMES.map((job) => `t_${job.replace(/\W/g, '')}`).join(' + '),
        usingMetrics: Object.fromEntries(
          JOB_NAMES.map((job) => [
            `t_${job.replace(/\W/g, '')}`,
            plannerMetric('TenantTimeouts', { Job: job }, 'Sum', hour),
          ]),
        ),
        label: 'tenant timeouts',
        period: hour,
      }),
      threshold: TIMEOUTS_PER_HOUR_THRESHOLD,
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      missing: TreatMissingData.NOT_BREACHING,
      description: `${TIMEOUTS_PER_HOUR_THRESHOLD} or more tenant jobs ran out of time in an hour.`,
    });
    // Silence is the symptom: a zone's fan-out records its last successful run; none for 27 hours alarms.
    // Zones that appear at run time get the same alarm from the schedule sync.
    for (const zone of props.zones) {
      const spec = zoneSilenceAlarm(zone);
      const created = new Alarm(this, spec.alarmName, {
        alarmName: spec.alarmName,
        alarmDescription: spec.description,
        metric: plannerMetric(spec.metricName, spec.dimensions, spec.statistic, Duration.seconds(spec.periodSeconds)),
        threshold: spec.threshold,
        comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
        evaluationPeriods: spec.evaluationPeriods,
        datapointsToAlarm: spec.evaluationPeriods,
        treatMissingData: TreatMissingData.BREACHING,
      });
      created.addAlarmAction(new SnsAction(props.alarmTopic));
      this.alarms.push(created);
    }
    alarm('SchedulerUnhealthy', {
      metric: plannerMetric('SchedulerRuns', { Job: 'production', Trigger: 'scheduled' }, 'SampleCount', hour),
      threshold: 1,
      comparison: ComparisonOperator.LESS_THAN_THRESHOLD,
      evaluationPeriods: SCHEDULER_SILENCE_HOURS,
      missing: TreatMissingData.BREACHING,
      description: `No successful scheduled production fan-out in any zone for ${SCHEDULER_SILENCE_HOURS} hours.`,
    });
    alarm('TrainingBehind', {
      metric: props.trainingQueue.metricApproximateAgeOfOldestMessage({
        period: Duration.minutes(15),
        statistic: 'Maximum',
      }),
      threshold: TRAINING_BEHIND_SECONDS,
      comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 2,
      missing: TreatMissingData.NOT_BREACHING,
      description: `A refit has waited ${TRAINING_BEHIND_SECONDS / 3600} hours or more on the training lane: the day's refits are not keeping up (models turn stale after 9 days, then the daily jobs fit their own).`,
    });
    for (const [name, queue] of Object.entries(props.deadLetterQueues)) {
      alarm(`${name}NotEmpty`, {
        metric: queue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: 'Maximum' }),
        threshold: 1,
        comparison: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        missing: TreatMissingData.NOT_BREACHING,
        description: `Messages are waiting in the ${name}: work that failed every retry.`,
      });
    }

    const byJob = (name: 'TenantsProcessed', status: string) =>
      JOB_NAMES.map((job) =>
        plannerMetric(name, { Job: job, Status: status }, 'Sum', hour).with({ label: `${job} ${status}` }),
      );
    new Dashboard(this, 'Dashboard', {
      dashboardName: 'BakeryPlanner',
      widgets: [
        [
          new GraphWidget({ title: 'Tenant jobs succeeded', left: byJob('TenantsProcessed', 'success'), width: 8 }),
          new GraphWidget({
            title: 'Tenant jobs failed / timed out',
            left: [...byJob('TenantsProcessed', 'failed'), ...byJob('TenantsProcessed', 'timeout')],
            width: 8,
          }),
          new GraphWidget({
            title: 'Generation duration (ms)',
            left: JOB_NAMES.flatMap((job) =>
              ['p50', 'p95'].map((stat) =>
                plannerMetric('GenerationDuration', { Job: job }, stat, hour).with({ label: `${job} ${stat}` }),
              ),
            ),
            width: 8,
          }),
        ],
        [
          new GraphWidget({
            title: 'Schedules and plans generated',
            left: [
              plannerMetric('ProductionSchedulesGenerated', { Status: 'created' }, 'Sum', hour),
              plannerMetric('ProcurementPlansGenerated', { Status: 'created' }, 'Sum', hour),
              plannerMetric('BatchesCreated', {}, 'Sum', hour),
            ],
            width: 8,
          }),
          new GraphWidget({
            title: 'Requirements by priority',
            left: ['critical', 'high', 'medium', 'low'].map((p) =>
              plannerMetric('RequirementsCreated', { Priority: p }, 'Sum', hour),
            ),
            width: 8,
          }),
          new SingleValueWidget({
            title: 'Forecast cache (24 h)',
            metrics: [
              plannerMetric('ForecastCacheHits', {}, 'Sum', day),
              plannerMetric('ForecastCacheMisses', {}, 'Sum', day),
            ],
            width: 8,
          }),
        ],
        [
          new GraphWidget({
            title: 'Forecasting models: fitted by a daily job instead of the weekly refit',
            left: ['missing', 'stale', 'unreadable'].map((reason) =>
              plannerMetric('ForecastModelFallbacks', { Reason: reason }, 'Sum', day).with({ label: reason }),
            ),
            right: [
              plannerMetric('ForecastProductsFittedOnTheFly', {}, 'Sum', day).with({
                label: 'products fitted on the fly',
              }),
            ],
            width: 12,
          }),
          new GraphWidget({
            title: 'Weekly model refit: training time per tenant (ms)',
            left: ['p50', 'p95', 'Maximum'].map((stat) =>
              plannerMetric('ModelTrainingDuration', {}, stat, day).with({ label: stat }),
            ),
            width: 12,
          }),
        ],
        [
          new GraphWidget({
            title: 'Plan quality across the fleet (median of the recorded days, %)',
            left: (['PlanScore', 'PlanWaste', 'PlanFillRate'] as const).map((name) =>
              plannerMetric(name, {}, 'p50', day).with({ label: name }),
            ),
            right: [plannerMetric('ForecastDrift', {}, 'Sum', day).with({ label: 'forecast drifts' })],
            width: 24,
          }),
        ],
        [
          new GraphWidget({
            title: 'Dead-letter queues',
            left: Object.entries(props.deadLetterQueues).map(([name, q]) =>
              q.metricApproximateNumberOfMessagesVisible({ label: name, statistic: 'Maximum' }),
            ),
            width: 12,
          }),
          new GraphWidget({
            title: 'Scheduler runs and errors',
            left: JOB_NAMES.map((job) =>
              plannerMetric('SchedulerRuns', { Job: job, Trigger: 'scheduled' }, 'Sum', hour),
            ),
            right: [
              new MathExpression({
                expression: `SEARCH('{${METRICS_NAMESPACE},Job,ErrorType} MetricName="SchedulerErrors"', 'Sum', 3600)`,
                label: 'errors',
                period: hour,
              }),
            ],
            width: 12,
          }),
        ],
      ],
    });
  }
}
