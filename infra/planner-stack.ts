// The planner on AWS: the table, the jobs queue, the functions, the per-timezone schedules, the plan
// event bus with its rules, and the alarms. Names and patterns come from lib/ so they are defined once.

import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ArnFormat,
  Aws,
  type CfnResource,
  Duration,
  RemovalPolicy,
  Stack,
  type StackProps,
  Validations,
} from 'aws-cdk-lib';
import { AttributeType, Billing, ProjectionType, StreamViewType, TableV2 } from 'aws-cdk-lib/aws-dynamodb';
import { EventBus, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic, SqsQueue } from 'aws-cdk-lib/aws-events-targets';
import { CfnRegistry, CfnSchema } from 'aws-cdk-lib/aws-eventschemas';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import {
  Architecture,
  FilterCriteria,
  FilterRule,
  LoggingFormat,
  Runtime,
  StartingPosition,
} from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { DynamoEventSource, SqsDlq, SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { BlockPublicAccess, Bucket, BucketEncryption, StorageClass } from 'aws-cdk-lib/aws-s3';
import { CfnSchedule, CfnScheduleGroup } from 'aws-cdk-lib/aws-scheduler';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import {
  EVENT_ITEM_TYPES,
  keys,
  TABLE_KEYS,
  TTL_ATTRIBUTE,
  tableDefinition,
} from '../lib/aws/dynamodb/table-layout.ts';
import {
  EVENT_DETAIL_TYPES,
  EVENT_ROUTES,
  EVENT_SOURCE,
  eventPattern,
  SCHEMA_VERSION,
} from '../lib/events/catalogue.ts';
import { registrySchema } from '../lib/events/schema-compat.ts';
import { MISSED_FIRINGS_SWEEP_EXPRESSION } from '../lib/jobs/job-message.ts';
import { SCHEDULE_GROUP_NAME, SCHEDULE_RETRY, zoneScheduleDefinitions } from '../lib/jobs/schedules.ts';
import type { PlannerConfig } from './config.ts';
import { PlannerObservability } from './observability.ts';
import { OperatorApi } from './operator-api.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export interface PlannerStackProps extends StackProps {
  config: PlannerConfig;
}

export class PlannerStack extends Stack {
  constructor(scope: Construct, id: string, props: PlannerStackProps) {
    super(scope, id, props);
    const { config } = props;
    const workerTimeout = Duration.seconds(config.tenantBudgetSeconds + 60);
    const trainerTimeout = Duration.seconds(config.trainingBudgetSeconds + 60);
    // Ten deliveries side by side, each at most 10 s (https-webhook-sender.ts), and their writes.
    const webhookTimeout = Duration.seconds(60);

    // ── Data ──────────────────────────────────────────────────────────────────────────────────────
    const definition = tableDefinition('unused');
    const table = new TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partition, type: AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sort, type: AttributeType.STRING },
      billing: Billing.onDemand(),
      timeToLiveAttribute: TTL_ATTRIBUTE,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      removalPolicy: RemovalPolicy.RETAIN,
      dynamoStream: StreamViewType.NEW_AND_OLD_IMAGES,
      globalSecondaryIndexes: (definition.GlobalSecondaryIndexes ?? []).map((index) => ({
        indexName: index.IndexName!,
        partitionKey: { name: index.KeySchema![0]!.AttributeName!, type: AttributeType.STRING },
        sortKey: { name: index.KeySchema![1]!.AttributeName!, type: AttributeType.STRING },
        projectionType:
          index.Projection?.ProjectionType === 'KEYS_ONLY' ? ProjectionType.KEYS_ONLY : ProjectionType.ALL,
      })),
    });

    // ── Queues and topics ─────────────────────────────────────────────────────────────────────────
    const queue = (queueId: string, extra: Partial<ConstructorParameters<typeof Queue>[2]> = {}) =>
      new Queue(this, queueId, {
        encryption: QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
        ...extra,
      });
    const jobsDlq = queue('JobsDeadLetterQueue');
    const jobsQueue = queue('JobsQueue', {
      visibilityTimeout: Duration.seconds(workerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: jobsDlq, maxReceiveCount: config.maxReceiveCount },
    });
    // The training lane (lib/jobs/lanes.ts): the model refits, on a queue and a consumer of their own.
    const trainingDlq = queue('TrainingDeadLetterQueue');
    const trainingQueue = queue('TrainingQueue', {
      visibilityTimeout: Duration.seconds(trainerTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: trainingDlq, maxReceiveCount: config.maxReceiveCount },
    });
    const schedulerDlq = queue('SchedulerDeadLetterQueue');
    const asyncFailuresDlq = queue('AsyncFailuresDeadLetterQueue');
    // Webhooks: the bus rule's copies of the plan events and the deliveries waiting for their next attempt
    // (lib/app/webhooks.ts). A message fails only on a storage error: five receives, then the DLQ.
    const webhookDlq = queue('WebhookDeadLetterQueue');
    const webhookQueue = queue('WebhookQueue', {
      visibilityTimeout: Duration.seconds(webhookTimeout.toSeconds() * 6),
      deadLetterQueue: { queue: webhookDlq, maxReceiveCount: 5 },
    });
    for (const dlq of [jobsDlq, trainingDlq, schedulerDlq, asyncFailuresDlq, webhookDlq]) {
      Validations.of(dlq).acknowledge({
        id: 'AwsSolutions-SQS3',
        reason: 'This queue is itself a dead-letter queue; its messages are redriven by an operator (docs/runbook.md).',
      });
    }
    const alarmTopic = new Topic(this, 'AlarmTopic', { displayName: 'Bakery planner alarms', enforceSSL: true });
    const notificationTopic = new Topic(this, 'NotificationTopic', {
      displayName: 'Bakery planner notifications',
      enforceSSL: true,
    });
    for (const topic of [alarmTopic, notificationTopic]) {
      Validations.of(topic).acknowledge({
        id: 'AwsSolutions-SNS2',
        reason:
          'Messages hold plan summaries and alarm states, no secrets; CloudWatch alarms and EventBridge cannot publish to a topic encrypted with the AWS-managed SNS key, and a customer key costs more than the data warrants.',
      });
    }
    if (config.alarmEmail) alarmTopic.addSubscription(new EmailSubscription(config.alarmEmail));
    if (config.notificationEmail) notificationTopic.addSubscription(new EmailSubscription(config.notificationEmail));

    // ── Events ────────────────────────────────────────────────────────────────────────────────────
    const bus = new EventBus(this, 'PlanEventBus', { eventBusName: 'bakery-planner-plans' });
    bus.archive('PlanEventArchive', {
      archiveName: 'bakery-planner-plans',
      eventPattern: { source: [EVENT_SOURCE] },
      retention: Duration.days(365),
    });
    new Rule(this, 'RegenerationRequestsToJobs', {
      eventBus: bus,
      description: 'A stale-data rejection carries the tenant job that rebuilds the plan: queue it for the worker.',
      eventPattern: eventPattern(EVENT_ROUTES.regeneration),
      targets: [
        new SqsQueue(jobsQueue, {
          message: RuleTargetInput.fromEventPath('$.detail.job'),
          deadLetterQueue: asyncFailuresDlq,
        }),
      ],
    });
    // Subscribers generate code bindings from the registry: one schema per detail-type (lib/events/schema-compat.ts).
    const registry = new CfnRegistry(this, 'PlanEventSchemas', {
      registryName: 'bakery-planner',
      description: 'The schemas of the bakery planner’s plan events (docs/schemas/events/).',
    });
    for (const type of EVENT_DETAIL_TYPES) {
      new CfnSchema(this, `Schema${type.replace(/[^A-Za-z]/g, '')}`, {
        registryName: registry.attrRegistryName,
        schemaName: `${EVENT_SOURCE}@${type}`,
        type: 'OpenApi3',
        content: JSON.stringify(registrySchema(type, EVENT_SOURCE)),
        description: `${type} (schema version ${SCHEMA_VERSION})`,
      });
    }
    new Rule(this, 'PlanEventsToWebhooks', {
      eventBus: bus,
      description:
        "Every plan event goes to the webhook queue: the delivery function sends it to the tenant's endpoints.",
      eventPattern: { source: [EVENT_SOURCE] },
      targets: [new SqsQueue(webhookQueue)],
    });
    new Rule(this, 'NotificationsToTopic', {
      eventBus: bus,
      description: 'Plans generated, rejections and escalations go to production managers and stakeholders.',
      eventPattern: eventPattern(EVENT_ROUTES.notifications),
      targets: [new SnsTopic(notificationTopic, { deadLetterQueue: asyncFailuresDlq })],
    });

    // ── Models: each tenant's fitted forecasting model, one object, replaced by each refit ────────────
    const models = new Bucket(this, 'ModelBucket', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      // A model replaced by a refit is of no use: no versions are kept.
      lifecycleRules: [{ abortIncompleteMultipartUploadAfter: Duration.days(1) }],
    });
    Validations.of(models).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason:
        'Only the planner functions read and write models (each a refit of data already in the table); CloudTrail records the bucket’s management.',
    });

    /** The model objects, and listing the bucket (without it, reading a tenant's absent model is denied, not missing). */
    const grantModels = (grantee: NodejsFunction, actions: string[]) => {
      grantee.addToRolePolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions, resources: [models.arnForObjects('models/*')] }),
      );
      grantee.addToRolePolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['s3:ListBucket'], resources: [models.bucketArn] }),
      );
      Validations.of(grantee).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(models.node.defaultChild as CfnResource)}.Arn>/models/*]`,
        reason:
          'One model object per tenant, named by the tenant id, under the models/ prefix of the model bucket only.',
      });
    };

    // ── Functions ─────────────────────────────────────────────────────────────────────────────────
    // Named, so that every function that may start a fan-out can hand a zone's next shard to it.
    const fanOutName = `${this.stackName}-fan-out`;
    const fanOutArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: fanOutName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const fn = (fnId: string, folder: string, extra: Partial<NodejsFunctionProps>) => {
      const logGroup = new LogGroup(this, `${fnId}Logs`, {
        retention: RetentionDays.THREE_MONTHS,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      const created = new NodejsFunction(this, fnId, {
        entry: join(ROOT, 'functions', folder, 'handler.ts'),
        handler: 'handler',
        runtime: Runtime.NODEJS_24_X,
        architecture: Architecture.ARM_64,
        memorySize: 512,
        loggingFormat: LoggingFormat.JSON,
        logGroup,
        depsLockFilePath: join(ROOT, 'package-lock.json'),
        projectRoot: ROOT,
        bundling: {
          format: OutputFormat.ESM,
          target: 'node22',
          mainFields: ['module', 'main'],
          minify: true,
          sourceMap: true,
          // aws-embedded-metrics is CommonJS: give the ESM bundle a require().
          banner:
            "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
        },
        ...extra,
        environment: {
          NODE_OPTIONS: '--enable-source-maps',
          TABLE_NAME: table.tableName,
          MODEL_BUCKET: models.bucketName,
          JOBS_QUEUE_URL: jobsQueue.queueUrl,
          TRAINING_QUEUE_URL: trainingQueue.queueUrl,
          EVENT_BUS_NAME: bus.eventBusName,
          FAN_OUT_FUNCTION_NAME: fanOutName,
          ...extra.environment,
        },
      });
      Validations.of(created).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'AWSLambdaBasicExecutionRole only lets the function write its own logs; it is the AWS-maintained least privilege for that.',
      });
      return created;
    };

    const fanOut = fn('FanOutFunction', 'fan-out', {
      functionName: fanOutName,
      description: 'Turns one scheduler firing for a timezone into one queued job per tenant of that zone.',
      // One shard of 10,000 tenants: a page of the zone index and 1,000 SendMessageBatch calls, 8 at a time.
      timeout: Duration.minutes(5),
      memorySize: 512,
      onFailure: new SqsDestination(asyncFailuresDlq),
      retryAttempts: 2,
    });
    table.grantReadData(fanOut);
    jobsQueue.grantSendMessages(fanOut);
    trainingQueue.grantSendMessages(fanOut);

    /** A lane's job runner (the worker's bundle): its queue, batch, concurrency cap, budget and memory. */
    const jobRunner = (
      fnId: string,
      description: string,
      queue: Queue,
      lane: { timeout: Duration; memorySize: number; budgetSeconds: number; batchSize: number; maxConcurrency: number },
    ) => {
      const runner = fn(fnId, 'plan-worker', {
        description,
        timeout: lane.timeout,
        memorySize: lane.memorySize,
        environment: { TENANT_BUDGET_MS: String(lane.budgetSeconds * 1000) },
      });
      grantModels(runner, ['s3:GetObject', 's3:PutObject']);
      runner.addEventSource(
        new SqsEventSource(queue, {
          batchSize: lane.batchSize,
          maxConcurrency: lane.maxConcurrency,
          reportBatchItemFailures: true,
        }),
      );
      return runner;
    };
    const worker = jobRunner(
      'PlanWorkerFunction',
      'Plans one tenant per queued job: forecasts, production schedule, procurement plan, cleanup.',
      jobsQueue,
      {
        timeout: workerTimeout,
        memorySize: 1024,
        budgetSeconds: config.tenantBudgetSeconds,
        batchSize: config.workerBatchSize,
        maxConcurrency: config.workerMaxConcurrency,
      },
    );
    table.grantReadWriteData(worker);
    // A procurement job that waits for its production schedule goes back on the queue.
    jobsQueue.grantSendMessages(worker);

    // The same job runner on the training lane: one refit per invocation, a full vCPU (fitting is
    // single-threaded and CPU-bound, so the price per refit is the same as at 1 GB, in 58 % of the time),
    // its own concurrency cap, and a budget fit for a 400-product tenant.
    const trainer = jobRunner(
      'ModelTrainerFunction',
      'Refits one tenant’s forecasting model per queued training job (the training lane).',
      trainingQueue,
      {
        timeout: trainerTimeout,
        memorySize: 1769,
        budgetSeconds: config.trainingBudgetSeconds,
        batchSize: 1,
        maxConcurrency: config.trainingMaxConcurrency,
      },
    );
    table.grantReadData(trainer);

    // ── Archive: plans outlive their 100 days in the table in monthly exports ─────────────────────────
    // A full export of the table on the 1st of each month (DynamoDB's own export, from point-in-time
    // recovery, started by a Scheduler universal target: no function), kept 400 days in Glacier Instant
    // Retrieval. A plan spends 100 days in the table, so at least three exports hold it, and the last of
    // them keeps it readable until at least 400 days after its date (what the table itself used to).
    const archive = new Bucket(this, 'PlanArchive', {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      removalPolicy: RemovalPolicy.RETAIN,
      lifecycleRules: [
        {
          transitions: [{ storageClass: StorageClass.GLACIER_INSTANT_RETRIEVAL, transitionAfter: Duration.days(0) }],
          expiration: Duration.days(400),
        },
      ],
    });
    Validations.of(archive).acknowledge({
      id: 'AwsSolutions::AwsSolutions-S1',
      reason: 'Only DynamoDB exports write to the archive bucket; CloudTrail records the exports and every read.',
    });
    const exportRole = new Role(this, 'TableExportRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Lets the monthly schedule export the table to the plan archive.',
    });
    exportRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['dynamodb:ExportTableToPointInTime'],
        resources: [table.tableArn],
      }),
    );
    exportRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:PutObjectAcl'],
        resources: [archive.arnForObjects('*')],
      }),
    );
    Validations.of(exportRole).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(archive.node.defaultChild as CfnResource)}.Arn>/*]`,
      reason: 'A table export writes objects of names DynamoDB chooses, only into the archive bucket.',
    });
    new CfnSchedule(this, 'MonthlyTableExport', {
      name: 'monthly-table-export',
      description: 'Exports the table to the plan archive on the 1st of each month, 03:00 UTC.',
      scheduleExpression: 'cron(0 3 1 * ? *)',
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: 'arn:aws:scheduler:::aws-sdk:dynamodb:exportTableToPointInTime',
        roleArn: exportRole.roleArn,
        input: JSON.stringify({
          TableArn: table.tableArn,
          S3Bucket: archive.bucketName,
          S3Prefix: 'table-exports',
          ExportFormat: 'DYNAMODB_JSON',
          S3SseAlgorithm: 'AES256',
        }),
        retryPolicy: { maximumRetryAttempts: 5, maximumEventAgeInSeconds: 3600 },
        deadLetterConfig: { arn: schedulerDlq.queueArn },
      },
    });

    // ── Schedules ─────────────────────────────────────────────────────────────────────────────────
    const group = new CfnScheduleGroup(this, 'ScheduleGroup', { name: SCHEDULE_GROUP_NAME });
    const schedulerRole = new Role(this, 'SchedulerRole', {
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: 'Lets the planner schedules invoke the fan-out function and dead-letter what fails.',
    });
    // Only the function itself: grantInvoke would add its versions (function:*), which schedules never call.
    schedulerRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [fanOut.functionArn],
      }),
    );
    schedulerDlq.grantSendMessages(schedulerRole);
    for (const zone of config.zones) {
      for (const schedule of zoneScheduleDefinitions(zone, config.testMode)) {
        const cfn = new CfnSchedule(this, `Schedule-${schedule.name}`, {
          name: schedule.name,
          groupName: group.name,
          description: schedule.description,
          scheduleExpression: schedule.expression,
          scheduleExpressionTimezone: schedule.timezone,
          flexibleTimeWindow: { mode: 'OFF' },
          state: 'ENABLED',
          target: {
            arn: fanOut.functionArn,
            roleArn: schedulerRole.roleArn,
            input: schedule.input,
            retryPolicy: { ...SCHEDULE_RETRY },
            deadLetterConfig: { arn: schedulerDlq.queueArn },
          },
        });
        cfn.node.addDependency(group);
      }
    }

    // Catches up what a zone's schedules failed to fire (a deploy, a Scheduler incident) within minutes.
    const missedFirings = fn('MissedFiringsFunction', 'missed-firings', {
      description: 'Every 15 minutes: fans out again any zone job whose daily firing did not run.',
      timeout: Duration.minutes(5),
      memorySize: 512,
      onFailure: new SqsDestination(asyncFailuresDlq),
      retryAttempts: 0,
      environment: { TEST_MODE: String(config.testMode) },
    });
    table.grantReadData(missedFirings);
    jobsQueue.grantSendMessages(missedFirings);
    trainingQueue.grantSendMessages(missedFirings);
    for (const recorder of [fanOut, missedFirings]) {
      // Each records a zone's runs, and writes nothing else: UpdateItem on the ZONERUNS partition only.
      recorder.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['dynamodb:UpdateItem'],
          resources: [table.tableArn],
          conditions: { 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': [keys.zoneRunsPartition] } },
        }),
      );
    }
    schedulerRole.addToPolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['lambda:InvokeFunction'],
        resources: [missedFirings.functionArn],
      }),
    );
    new CfnSchedule(this, 'MissedFiringsSweep', {
      name: 'missed-firings-sweep',
      groupName: group.name,
      description: 'Bakery planner: fan out again any zone job whose daily firing did not run',
      scheduleExpression: MISSED_FIRINGS_SWEEP_EXPRESSION,
      flexibleTimeWindow: { mode: 'OFF' },
      state: 'ENABLED',
      target: {
        arn: missedFirings.functionArn,
        roleArn: schedulerRole.roleArn,
        input: '{}',
        retryPolicy: { maximumRetryAttempts: 2, maximumEventAgeInSeconds: 600 },
        deadLetterConfig: { arn: schedulerDlq.queueArn },
      },
    }).node.addDependency(group);

    const scheduleSync = fn('ScheduleSyncFunction', 'schedule-sync', {
      description:
        'Creates the schedules of a timezone when its first tenant appears and deletes them when its last tenant leaves.',
      timeout: Duration.seconds(60),
      memorySize: 256,
      environment: {
        SCHEDULE_GROUP_NAME,
        FAN_OUT_FUNCTION_ARN: fanOut.functionArn,
        SCHEDULER_ROLE_ARN: schedulerRole.roleArn,
        SCHEDULER_DLQ_ARN: schedulerDlq.queueArn,
        TEST_MODE: String(config.testMode),
        STATIC_ZONES: config.zones.join(','),
        ALARM_TOPIC_ARN: alarmTopic.topicArn,
      },
    });
    scheduleSync.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['cloudwatch:PutMetricAlarm', 'cloudwatch:DeleteAlarms'],
        resources: [
          this.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: 'SchedulerUnhealthy-*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        ],
      }),
    );
    const groupSchedules = this.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${SCHEDULE_GROUP_NAME}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    scheduleSync.addToRolePolicy(
      new PolicyStatement({
        effect: Effect.ALLOW,
        actions: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
        resources: [groupSchedules],
      }),
    );
    schedulerRole.grantPassRole(scheduleSync.grantPrincipal);
    scheduleSync.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 10,
        retryAttempts: 10,
        reportBatchItemFailures: true,
        onFailure: new SqsDlq(asyncFailuresDlq),
        filters: [
          FilterCriteria.filter({ dynamodb: { Keys: { PK: { S: FilterRule.isEqual(keys.zoneRegistryPartition) } } } }),
        ],
      }),
    );
    Validations.of(scheduleSync).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/bakery-planner/*]',
      reason:
        'Schedules of zones that appear at run time have names unknown at deploy time; access is limited to the planner schedule group (scheduler:*Schedule on schedule/bakery-planner/*) and to reading the table stream.',
    });
    Validations.of(scheduleSync).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:cloudwatch:<AWS::Region>:<AWS::AccountId>:alarm:SchedulerUnhealthy-*]',
      reason:
        'Alarms of zones that appear at run time have names unknown at deploy time; access is limited to the SchedulerUnhealthy-* alarms.',
    });
    for (const grantee of [fanOut, worker, trainer, missedFirings]) {
      Validations.of(grantee).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(table.node.defaultChild as CfnResource)}.Arn>/index/*]`,
        reason:
          "The table grant covers the table's own indexes (table/<name>/index/*), which the zone lookup queries; nothing outside the table.",
      });
    }

    // ── Events: the table's stream to the bus ───────────────────────────────────────────────────────
    // Writes carry their events on the item they change; the relay publishes what each change adds. The
    // stream keeps records 24 hours and the mapping retries from the first record not done until then,
    // so an outage of up to a day loses nothing; a record older than that goes to the async-failures DLQ.
    const relay = fn('EventRelayFunction', 'event-relay', {
      description: "Publishes the events each change of the table carries, in order, from the table's stream.",
      timeout: Duration.seconds(60),
      memorySize: 256,
    });
    table.grantStreamRead(relay);
    // Its only write: the dead-letter record of an event the bus refuses for itself.
    relay.addToRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['dynamodb:PutItem'], resources: [table.tableArn] }),
    );
    bus.grantPutEventsTo(relay);
    relay.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.TRIM_HORIZON,
        batchSize: 100,
        maxBatchingWindow: Duration.seconds(1),
        retryAttempts: -1,
        reportBatchItemFailures: true,
        parallelizationFactor: 10,
        onFailure: new SqsDlq(asyncFailuresDlq),
        filters: EVENT_ITEM_TYPES.map((type) =>
          FilterCriteria.filter({ dynamodb: { NewImage: { type: { S: FilterRule.isEqual(type) } } } }),
        ),
      }),
    );

    // ── Webhooks ──────────────────────────────────────────────────────────────────────────────────
    // Signing secrets are sealed with a key of the stack, bound to their tenant and endpoint (the
    // encryption context); the API seals them, the delivery function opens them.
    const webhookKey = new Key(this, 'WebhookSecretsKey', {
      description: 'Seals the webhook signing secrets of the bakery planner',
      enableKeyRotation: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const webhookDelivery = fn('WebhookDeliveryFunction', 'webhook-delivery', {
      description: "Delivers each plan event to its tenant's webhook endpoints, signed; retries with backoff.",
      timeout: webhookTimeout,
      memorySize: 256,
      environment: { WEBHOOK_QUEUE_URL: webhookQueue.queueUrl, WEBHOOK_KEY_ID: webhookKey.keyArn },
    });
    table.grantReadWriteData(webhookDelivery);
    webhookQueue.grantSendMessages(webhookDelivery);
    webhookKey.grantDecrypt(webhookDelivery);
    Validations.of(webhookDelivery).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(table.node.defaultChild as CfnResource)}.Arn>/index/*]`,
      reason: "The table grant covers the table's own indexes (table/<name>/index/*); nothing outside the table.",
    });
    webhookDelivery.addEventSource(
      new SqsEventSource(webhookQueue, {
        batchSize: 10,
        maxConcurrency: config.webhookMaxConcurrency,
        reportBatchItemFailures: true,
      }),
    );

    const apiFunction = fn('ApiFunction', 'api', {
      description: "Operators' HTTP API: tenants, catalog, stock, sales, plans, forecasts, cache, manual runs.",
      timeout: Duration.seconds(29),
      memorySize: 1024,
      environment: { WEBHOOK_QUEUE_URL: webhookQueue.queueUrl, WEBHOOK_KEY_ID: webhookKey.keyArn },
    });
    table.grantReadWriteData(apiFunction);
    if (config.mailFrom) {
      // Purchase orders are e-mailed from this verified identity (an address, or its domain), and nothing else.
      const domain = config.mailFrom.split('@')[1]!;
      apiFunction.addEnvironment('MAIL_FROM', config.mailFrom);
      apiFunction.addToRolePolicy(
        new PolicyStatement({
          effect: Effect.ALLOW,
          actions: ['ses:SendEmail'],
          resources: [
            `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${config.mailFrom}`,
            `arn:${Aws.PARTITION}:ses:${Aws.REGION}:${Aws.ACCOUNT_ID}:identity/${domain}`,
          ],
          conditions: { StringEquals: { 'ses:FromAddress': config.mailFrom } },
        }),
      );
    }
    // New and rotated webhook secrets are sealed here; a replay queues deliveries.
    apiFunction.addToRolePolicy(
      new PolicyStatement({ effect: Effect.ALLOW, actions: ['kms:Encrypt'], resources: [webhookKey.keyArn] }),
    );
    webhookQueue.grantSendMessages(apiFunction);
    // Reads score the stored model (they never fit one).
    grantModels(apiFunction, ['s3:GetObject']);
    jobsQueue.grantSendMessages(apiFunction);
    // Reads without a current model ask for a refit; an admin may run one.
    trainingQueue.grantSendMessages(apiFunction);
    Validations.of(apiFunction).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${this.getLogicalId(table.node.defaultChild as CfnResource)}.Arn>/index/*]`,
      reason:
        "The table grant covers the table's own indexes (table/<name>/index/*), which tenant listing queries; nothing outside the table.",
    });
    // A fan-out (scheduled, a sweep's catch-up, a manual run) hands the rest of a big zone to a fresh invocation.
    for (const starter of [fanOut, missedFirings, apiFunction]) {
      starter.addToRolePolicy(
        new PolicyStatement({ effect: Effect.ALLOW, actions: ['lambda:InvokeFunction'], resources: [fanOutArn] }),
      );
    }
    new OperatorApi(this, 'OperatorApi', {
      handler: apiFunction,
      ...(config.jwtIssuer ? { jwtIssuer: config.jwtIssuer, jwtAudience: config.jwtAudience ?? [] } : {}),
      ...(config.oidcAuthorizeUrl && config.oidcTokenUrl && config.oidcClientId
        ? {
            externalSignIn: {
              authorizeUrl: config.oidcAuthorizeUrl,
              tokenUrl: config.oidcTokenUrl,
              clientId: config.oidcClientId,
              ...(config.oidcLogoutUrl ? { logoutUrl: config.oidcLogoutUrl } : {}),
              ...(config.oidcRevokeUrl ? { revokeUrl: config.oidcRevokeUrl } : {}),
            },
          }
        : {}),
      ...(config.authDomainPrefix ? { authDomainPrefix: config.authDomainPrefix } : {}),
      callbackUrls: config.callbackUrls,
    });

    new PlannerObservability(this, 'Observability', {
      alarmTopic,
      zones: config.zones,
      eventRelay: relay,
      trainingQueue,
      deadLetterQueues: {
        JobsDeadLetterQueue: jobsDlq,
        TrainingDeadLetterQueue: trainingDlq,
        SchedulerDeadLetterQueue: schedulerDlq,
        AsyncFailuresDeadLetterQueue: asyncFailuresDlq,
        WebhookDeadLetterQueue: webhookDlq,
      },
    });
  }
}
