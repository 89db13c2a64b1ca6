// The one place that writes CloudWatch Embedded Metric Format. In Lambda the library's environment
// writes to stdout; elsewhere a line sink (a file, a test array) receives the same EMF JSON.
import { createMetricsLogger, MetricsLogger, type Unit } from 'aws-embedded-metrics';
import type { IEnvironment } from 'aws-embedded-metrics/lib/environment/IEnvironment.js';
import { MetricsContext } from 'aws-embedded-metrics/lib/logger/MetricsContext.js';
import { LogSerializer } from 'aws-embedded-metrics/lib/serializers/LogSerializer.js';
import { METRICS, METRICS_NAMESPACE, type MetricName, type MetricRecord, type Metrics } from './catalogue.ts';

type LineSink = (line: string) => void;

function lineEnvironment(sink: LineSink): IEnvironment {
  const serializer = new LogSerializer();
  return {
    probe: async () => true,
    getName: () => 'bakery-planner',
    getType: () => 'Local',
    getLogGroupName: () => 'bakery-planner-metrics',
    configureContext: () => undefined,
    getSink: () => ({
      name: 'LineSink',
      accept: async (context: MetricsContext) => {
        for (const line of serializer.serialize(context)) sink(line);
      },
    }),
  };
}

export interface EmfMetricsOptions {
  /** Where EMF lines go outside Lambda; omitted in Lambda (the library writes to stdout). */
  sink?: LineSink;
  /** Told of every record as it is made (used by the local run to total what happened). */
  onRecord?: (record: MetricRecord) => void;
}

export class EmfMetrics implements Metrics {
  private pending: MetricRecord[] = [];

  constructor(private readonly options: EmfMetricsOptions = {}) {}

  record(
    name: MetricName,
    value: number,
    dimensions: Record<string, string>,
    properties: Record<string, unknown> = {},
  ): void {
    const record = { name, value, dimensions, properties };
    this.pending.push(record);
    this.options.onRecord?.(record);
  }

  /**
   * One EMF document per dimension set, holding every value recorded under it since the last flush (a
   * metric recorded n times is one name with n values), and the properties all those values share: a
   * worker's batch of ten tenants writes each metric once, not once per tenant (the tenant of each job
   * is on the job's log line).
   */
  async flush(): Promise<void> {
    const groups = new Map<string, MetricRecord[]>();
    for (const record of this.pending.splice(0)) {
      const key = JSON.stringify(Object.entries(record.dimensions).sort());
      groups.set(key, [...(groups.get(key) ?? []), record]);
    }
    for (const records of groups.values()) {
      const logger = this.logger();
      logger.setNamespace(METRICS_NAMESPACE);
      const first = records[0]!;
      logger.setDimensions(first.dimensions, false);
      for (const [key, value] of Object.entries(first.properties)) {
        if (records.every((r) => Object.hasOwn(r.properties, key) && Object.is(r.properties[key], value)))
          logger.setProperty(key, value);
      }
      for (const record of records) logger.putMetric(record.name, record.value, METRICS[record.name].unit as Unit);
      await logger.flush();
    }
  }

  private logger(): MetricsLogger {
    const sink = this.options.sink;
    if (!sink) return createMetricsLogger();
    const environment = lineEnvironment(sink);
    return new MetricsLogger(async () => environment, MetricsContext.empty());
  }
}
