// The embedded wiring: the same DynamoDB and S3 adapters against DynamoDB Local and a local S3
// (s3-local.ts), plus the local queue and bus, a controllable clock, and EMF metrics written as lines
// to a sink.
import type { S3Client } from '@aws-sdk/client-s3';
import { storagePorts } from '../aws/cloud-ports.ts';
import { ensureTable, type TableContext } from '../aws/dynamodb/client.ts';
import { HttpsWebhookSender } from '../aws/https-webhook-sender.ts';
import { FAN_OUT_SHARD_SIZE } from '../aws/lambda-fan-out.ts';
import { EVENT_ROUTES } from '../events/catalogue.ts';
import { createLogger, type LogLevel } from '../log.ts';
import type { MetricRecord } from '../metrics/catalogue.ts';
import { EmfMetrics } from '../metrics/emf.ts';
import type { PlannerPorts } from '../ports.ts';
import { LocalEventBus } from './local-bus.ts';
import { LocalEventRelay } from './local-event-relay.ts';
import { localFanOutContinuation } from './local-fan-out.ts';
import { LocalOutboxMailer } from './local-outbox-mailer.ts';
import { LocalJobQueue } from './local-queue.ts';
import { LocalSecretSealer } from './local-secret-sealer.ts';
import { LocalWebhookQueue } from './local-webhook-queue.ts';
import { LOCAL_MODEL_BUCKET, localS3Client } from './s3-local.ts';

export interface LocalPortsOptions {
  endpoint: string;
  tableName: string;
  /** Where JSON log lines go (default: nowhere). */
  logSink?: (line: string) => void;
  logLevel?: LogLevel;
  /** Where EMF lines go (default: nowhere). */
  emfSink?: (line: string) => void;
  maxReceiveCount?: number;
  /** Tenants per fan-out invocation (default: the cloud's). */
  fanOutShardSize?: number;
  /** Delivers webhooks with this sender (default: the cloud's, allowing endpoints on this machine). */
  webhookSender?: PlannerPorts['webhookSender'];
  /** Where e-mails are written instead of sent (default: .local/outbox). */
  outboxDir?: string;
}

export interface LocalStack {
  ports: PlannerPorts;
  /** The DynamoDB table behind the stores (benchmarks count its consumed capacity). */
  table: TableContext;
  /** The S3 client of the models (benchmarks count its requests). */
  s3: S3Client;
  queue: LocalJobQueue;
  bus: LocalEventBus;
  /** The bus rule's copies of every event, and the webhook deliveries waiting for their next attempt. */
  webhookQueue: LocalWebhookQueue;
  /** Publishes the events written since the last call, from the table's stream (the queue's drain calls it). */
  relay: LocalEventRelay;
  metricRecords: MetricRecord[];
  /** Sets the simulated clock that `ports.now()` reads. */
  setNow(instant: Date): void;
}

export async function createLocalStack(options: LocalPortsOptions): Promise<LocalStack> {
  const log = createLogger(options.logSink ?? (() => undefined), options.logLevel ?? 'info');
  const s3 = await localS3Client();
  const { ctx, ...stores } = storagePorts(
    {
      tableName: options.tableName,
      endpoint: options.endpoint,
      models: { s3, bucket: LOCAL_MODEL_BUCKET, prefix: `${options.tableName}/` },
    },
    log,
  );
  const streamArn = await ensureTable(ctx);
  let relay: LocalEventRelay | undefined;
  const queue = new LocalJobQueue({
    maxReceiveCount: options.maxReceiveCount ?? 3,
    batchSize: 10,
    settle: () => relay!.pump(),
  });
  const bus = new LocalEventBus();
  // The bus rule of the cloud stack: a regeneration request's `detail.job` goes to the jobs queue.
  bus.subscribe((event) => {
    if ((EVENT_ROUTES.regeneration as readonly string[]).includes(event.detailType))
      queue.send(JSON.stringify((event.detail as { job: unknown }).job));
  });
  const metricRecords: MetricRecord[] = [];
  let now = new Date();
  // The bus rule of the cloud stack: every planner event goes to the webhook queue.
  const webhookQueue = new LocalWebhookQueue(() => now);
  bus.subscribe((event) => webhookQueue.receive(event));
  const ports: PlannerPorts = {
    ...stores,
    queue,
    fanOut: localFanOutContinuation(() => ports, options.fanOutShardSize ?? FAN_OUT_SHARD_SIZE),
    events: bus,
    webhookQueue,
    webhookSender: options.webhookSender ?? new HttpsWebhookSender(true),
    secrets: new LocalSecretSealer(),
    mailer: new LocalOutboxMailer(options.outboxDir),
    metrics: new EmfMetrics({ sink: options.emfSink ?? (() => undefined), onRecord: (r) => metricRecords.push(r) }),
    log,
    now: () => now,
  };
  relay = LocalEventRelay.forTable(options.endpoint, streamArn, () => ports);
  return {
    ports,
    table: ctx,
    s3,
    queue,
    bus,
    webhookQueue,
    relay,
    metricRecords,
    setNow: (instant) => (now = instant),
  };
}
