// The cloud wiring: the AWS adapters behind the ports, configured from the function's environment.
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { KMSClient } from '@aws-sdk/client-kms';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';
import { cloudConfig } from '../config.ts';
import { createLogger } from '../log.ts';
import { EmfMetrics } from '../metrics/emf.ts';
import type { PlannerPorts } from '../ports.ts';
import { DynamoBakeryDataStore } from './dynamodb/bakery-data-store.ts';
import { documentClient } from './dynamodb/client.ts';
import { DynamoForecastCache } from './dynamodb/forecast-cache.ts';
import { DynamoPlanStore } from './dynamodb/plan-store.ts';
import { DynamoReadAhead } from './dynamodb/read-ahead.ts';
import { DynamoRequestLimiter } from './dynamodb/request-limiter.ts';
import { DynamoTenantStore } from './dynamodb/tenant-store.ts';
import { DynamoWebhookStore } from './dynamodb/webhook-store.ts';
import { EventBridgePublisher } from './eventbridge-publisher.ts';
import { HttpsWebhookSender } from './https-webhook-sender.ts';
import { KmsSecretSealer } from './kms-secret-sealer.ts';
import { LambdaFanOutContinuation } from './lambda-fan-out.ts';
import { LaneQueues } from './lane-queues.ts';
import { type ModelLocation, S3ModelStore } from './s3-model-store.ts';
import { SesMailer } from './ses-mailer.ts';
import { SqsJobQueue } from './sqs-job-queue.ts';
import { SqsWebhookQueue } from './sqs-webhook-queue.ts';

export interface StoragePortsOptions {
  tableName: string;
  endpoint?: string;
  /** Where the fitted models live, and the S3 client to reach them. */
  models: ModelLocation & { s3: S3Client };
}

/** The storage ports (DynamoDB, and S3 for the models), shared by the cloud and the local wiring. */
export function storagePorts(options: StoragePortsOptions, log: PlannerPorts['log']) {
  const ctx = {
    doc: documentClient(options.endpoint ? { endpoint: options.endpoint } : {}),
    tableName: options.tableName,
  };
  const data = new DynamoBakeryDataStore(ctx);
  return {
    ctx,
    tenants: new DynamoTenantStore(ctx, log),
    catalog: data,
    stock: data,
    sales: data,
    actuals: data,
    models: new S3ModelStore(options.models.s3, options.models, data),
    drivers: data,
    forecastCache: new DynamoForecastCache(ctx),
    plans: new DynamoPlanStore(ctx),
    readAhead: new DynamoReadAhead(ctx),
    limits: new DynamoRequestLimiter(ctx),
    webhooks: new DynamoWebhookStore(ctx),
  };
}

let cached: PlannerPorts | undefined;

/** Built once per Lambda execution environment, on first use (so imports never need configuration). */
export function cloudPorts(): PlannerPorts {
  if (cached) return cached;
  const config = cloudConfig();
  const log = createLogger();
  const sqs = new SQSClient({});
  const { ctx: _ctx, ...stores } = storagePorts(
    { tableName: config.tableName, models: { s3: new S3Client({}), bucket: config.modelBucket } },
    log,
  );
  cached = {
    ...stores,
    queue: new LaneQueues({
      daily: new SqsJobQueue(sqs, config.jobsQueueUrl),
      training: new SqsJobQueue(sqs, config.trainingQueueUrl),
    }),
    fanOut: new LambdaFanOutContinuation(new LambdaClient({}), config.fanOutFunctionName),
    events: new EventBridgePublisher(new EventBridgeClient({}), config.eventBusName),
    webhookQueue: new SqsWebhookQueue(sqs, config.webhookQueueUrl),
    webhookSender: new HttpsWebhookSender(),
    secrets: new KmsSecretSealer(new KMSClient({}), config.webhookKeyId),
    mailer: new SesMailer(new SESv2Client({}), config.mailFrom),
    metrics: new EmfMetrics(),
    log,
    now: () => new Date(),
  };
  return cached;
}
