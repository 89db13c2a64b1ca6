import { App } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../infra/planner-app.ts';
import { TTL_ATTRIBUTE } from '../../lib/aws/dynamodb/table-layout.ts';
import { EVENT_DETAIL_TYPES, EVENT_ROUTES, EVENT_SOURCE } from '../../lib/events/catalogue.ts';
import { JOB_TABLE } from '../../lib/jobs/job-table.ts';
import { SCHEDULED_TIME_PLACEHOLDER, scheduleName } from '../../lib/jobs/schedules.ts';
import { METRICS_NAMESPACE } from '../../lib/metrics/catalogue.ts';

const ZONES = ['Europe/Madrid', 'Asia/Kathmandu'];

function synth(context: Record<string, unknown> = {}) {
  // Bundling is skipped here (it is exercised by the `cdk synth` test below).
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [], zones: ZONES.join(','), ...context } });
  const { stack } = buildApp(app);
  return { app, stack, template: Template.fromStack(stack) };
}

let template: Template;
beforeAll(() => {
  template = synth().template;
});

type Resource = { Properties: Record<string, any> };
/** The stack's schedules that are not a zone's job firings. */
const NOT_ZONE_SCHEDULES = new Set(['missed-firings-sweep', 'monthly-table-export']);
const resources = (type: string) => Object.values(template.findResources(type)) as Resource[];

describe('the table', () => {
  it('is on-demand with TTL, point-in-time recovery, deletion protection, the zone and review indexes and a stream', () => {
    template.hasResource('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          Match.objectLike({ IndexName: 'GSI1', Projection: { ProjectionType: 'ALL' } }),
          Match.objectLike({
            IndexName: 'GSI2',
            KeySchema: [
              { AttributeName: 'reviewDue', KeyType: 'HASH' },
              { AttributeName: 'PK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'KEYS_ONLY' },
          }),
        ],
        StreamSpecification: { StreamViewType: 'NEW_AND_OLD_IMAGES' },
        Replicas: [
          Match.objectLike({
            PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
            DeletionProtectionEnabled: true,
          }),
        ],
      }),
    });
  });
});

describe('the jobs queue and the worker', () => {
  it('keeps messages invisible for at least six times the worker timeout and dead-letters after the receive limit', () => {
    const worker = resources('AWS::Lambda::Function').find((f) =>
      f.Properties.Description?.startsWith('Plans one tenant'),
    )!;
    const jobsQueue = resources('AWS::SQS::Queue').find((q) => q.Properties.RedrivePolicy)!;
    expect(worker.Properties.Timeout).toBe(240);
    expect(jobsQueue.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * worker.Properties.Timeout);
    expect(jobsQueue.Properties.RedrivePolicy.maxReceiveCount).toBe(3);
    expect(jobsQueue.Properties.SqsManagedSseEnabled).toBe(true);
  });

  it('consumes the queue with partial batch failures, a batch size and a concurrency cap', () => {
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      BatchSize: 5,
      ScalingConfig: { MaximumConcurrency: 150 },
    });
  });

  it('takes its settings from context', () => {
    const custom = synth({
      maxReceiveCount: '5',
      workerBatchSize: '10',
      workerMaxConcurrency: '50',
      tenantBudgetSeconds: '120',
    }).template;
    custom.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      BatchSize: 10,
      ScalingConfig: { MaximumConcurrency: 50 },
    });
    custom.hasResourceProperties('AWS::SQS::Queue', {
      RedrivePolicy: Match.objectLike({ maxReceiveCount: 5 }),
      VisibilityTimeout: 6 * 180,
    });
  });

  it('refuses an invalid zone in the configuration', () => {
    expect(() => synth({ zones: 'Europe/Madrid,Mars/Base' })).toThrow(/"Mars\/Base" is not an IANA timezone/);
  });
});

describe('the functions', () => {
  it('run on Node.js 22+ on arm64 with JSON logs', () => {
    const functions = resources('AWS::Lambda::Function');
    expect(functions).toHaveLength(8);
    for (const f of functions) {
      expect(Number(f.Properties.Runtime.replace(/^nodejs(\d+)\.x$/, '$1'))).toBeGreaterThanOrEqual(22);
      expect(f.Properties.Architectures).toEqual(['arm64']);
      expect(f.Properties.LoggingConfig.LogFormat).toBe('JSON');
    }
  });

  it('let every function that queues jobs send to the queue of their lane, and no other', () => {
    const sends = (fn: string, queue: string) =>
      resources('AWS::IAM::Policy')
        .filter((p) => JSON.stringify(p.Properties.Roles).includes(fn))
        .flatMap((p) => p.Properties.PolicyDocument.Statement)
        .some(
          (st: any) => [st.Action].flat().includes('sqs:SendMessage') && JSON.stringify(st.Resource).includes(queue),
        );
    for (const fn of ['EventRelayFunction', 'ModelTrainerFunction']) {
      expect(sends(fn, 'JobsQueue'), fn).toBe(false);
      expect(sends(fn, 'TrainingQueue'), fn).toBe(false);
    }
    for (const fn of ['FanOutFunction', 'MissedFiringsFunction', 'PlanWorkerFunction', 'ApiFunction'])
      expect(sends(fn, 'JobsQueue'), fn).toBe(true);
    // The scheduled refits, the sweep's catch-ups and the refits reads ask for; daily jobs never queue one.
    for (const fn of ['FanOutFunction', 'MissedFiringsFunction', 'ApiFunction'])
      expect(sends(fn, 'TrainingQueue'), fn).toBe(true);
    expect(sends('PlanWorkerFunction', 'TrainingQueue')).toBe(false);
  });

  it('runs the training lane on its own queue and consumer, one refit at a time, under its own concurrency cap', () => {
    const mappings = resources('AWS::Lambda::EventSourceMapping');
    const training = mappings.find((m) => JSON.stringify(m.Properties.EventSourceArn).includes('TrainingQueue'))!;
    expect(JSON.stringify(training.Properties.FunctionName)).toContain('ModelTrainerFunction');
    expect(training.Properties).toMatchObject({ BatchSize: 1, ScalingConfig: { MaximumConcurrency: 20 } });
    const daily = mappings.find((m) => JSON.stringify(m.Properties.EventSourceArn).includes('JobsQueue'))!;
    expect(JSON.stringify(daily.Properties.FunctionName)).toContain('PlanWorkerFunction');
    const trainer = resources('AWS::Lambda::Function').find((f) =>
      f.Properties.Description?.includes('training lane'),
    )!;
    expect(trainer.Properties).toMatchObject({ MemorySize: 1769, Timeout: 660 });
    expect(trainer.Properties.Environment.Variables.TENANT_BUDGET_MS).toBe('600000');
  });

  it('grant only on the stack’s own resources', () => {
    for (const policy of resources('AWS::IAM::Policy')) {
      for (const statement of policy.Properties.PolicyDocument.Statement) {
        for (const resource of [statement.Resource].flat()) {
          expect(JSON.stringify(resource), `${statement.Action} on ${JSON.stringify(resource)}`).not.toBe('"*"');
          expect(JSON.stringify(resource)).toMatch(/Fn::GetAtt|Ref|scheduler|Fn::Join/);
        }
      }
    }
  });
});

describe('the outputs', () => {
  it('are named as the deploy guide names them', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(
      expect.arrayContaining(['ApiUrl', 'UserPoolClientId', 'UserPoolId']),
    );
  });
});

describe('the schedules', () => {
  it('sweeps for missed firings every 15 minutes with its own function, which may only record zone runs', () => {
    const sweep = resources('AWS::Scheduler::Schedule').find((s) => s.Properties.Name === 'missed-firings-sweep')!;
    expect(sweep.Properties).toMatchObject({
      ScheduleExpression: 'rate(15 minutes)',
      GroupName: 'bakery-planner',
      FlexibleTimeWindow: { Mode: 'OFF' },
    });
    expect(JSON.stringify(sweep.Properties.Target.Arn)).toContain('MissedFiringsFunction');
    const updates = resources('AWS::IAM::Policy')
      .flatMap((p) => p.Properties.PolicyDocument.Statement)
      .filter((s: any) => s.Action === 'dynamodb:UpdateItem');
    expect(updates).toHaveLength(2);
    for (const statement of updates)
      expect(statement.Condition).toEqual({ 'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['ZONERUNS'] } });
  });

  it('has one schedule per job and configured zone, at the job’s local time, in the zone', () => {
    const schedules = resources('AWS::Scheduler::Schedule').filter((s) => !NOT_ZONE_SCHEDULES.has(s.Properties.Name));
    expect(schedules).toHaveLength(JOB_TABLE.length * ZONES.length);
    for (const zone of ZONES) {
      for (const job of JOB_TABLE) {
        const schedule = schedules.find((s) => s.Properties.Name === scheduleName(job.name, zone))!;
        expect(schedule.Properties).toMatchObject({
          GroupName: 'bakery-planner',
          ScheduleExpression: `cron(${job.localTimes[0]!.slice(3, 5).replace(/^0(?=\d)/, '')} ${job.localTimes.map((t) => Number(t.slice(0, 2))).join(',')} * * ? *)`,
          ScheduleExpressionTimezone: zone,
          FlexibleTimeWindow: { Mode: 'OFF' },
        });
        expect(JSON.parse(schedule.Properties.Target.Input)).toEqual({
          job: job.name,
          timezone: zone,
          scheduledTime: SCHEDULED_TIME_PLACEHOLDER,
        });
        expect(schedule.Properties.Target.RetryPolicy).toEqual({
          MaximumRetryAttempts: 10,
          MaximumEventAgeInSeconds: 3600,
        });
        expect(schedule.Properties.Target.DeadLetterConfig.Arn).toBeDefined();
      }
    }
  });

  it('fires every 30 minutes in test mode, production first, cleanup, procurement and the review after it', () => {
    const schedules = (
      Object.values(synth({ testMode: 'true' }).template.findResources('AWS::Scheduler::Schedule')) as Resource[]
    ).filter((s) => !NOT_ZONE_SCHEDULES.has(s.Properties.Name));
    const expected = {
      'model-refit': 'cron(25 * * * ? *)',
      production: 'cron(0,30 * * * ? *)',
      cleanup: 'cron(5,35 * * * ? *)',
      procurement: 'cron(10,40 * * * ? *)',
      review: 'cron(20,50 * * * ? *)',
    };
    expect(schedules.length).toBeGreaterThan(0);
    for (const s of schedules)
      expect(s.Properties.ScheduleExpression).toBe(
        expected[JSON.parse(s.Properties.Target.Input).job as keyof typeof expected],
      );
  });

  it('lets the schedule-sync function manage only the planner group’s schedules, from the zone registry stream', () => {
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: ['scheduler:CreateSchedule', 'scheduler:UpdateSchedule', 'scheduler:DeleteSchedule'],
            Resource: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp(':schedule/bakery-planner/\\*$')])] },
          }),
        ]),
      },
    });
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      FilterCriteria: { Filters: [{ Pattern: JSON.stringify({ dynamodb: { Keys: { PK: { S: ['ZONES'] } } } }) }] },
      FunctionResponseTypes: ['ReportBatchItemFailures'],
      StartingPosition: 'TRIM_HORIZON',
    });
  });
});

describe('the plan events', () => {
  it('routes regeneration requests to the jobs queue and notifications to the topic with the catalogue’s patterns', () => {
    const rules = resources('AWS::Events::Rule');
    const regeneration = rules.find((r) =>
      r.Properties.EventPattern['detail-type']?.includes('procurement.plan.regeneration_requested'),
    )!;
    expect(regeneration.Properties.EventPattern).toEqual({
      source: [EVENT_SOURCE],
      'detail-type': [...EVENT_ROUTES.regeneration],
    });
    expect(regeneration.Properties.Targets[0].InputPath).toBe('$.detail.job');
    const notifications = rules.find((r) =>
      r.Properties.EventPattern['detail-type']?.includes('plan.escalation.unapproved'),
    )!;
    expect(notifications.Properties.EventPattern).toEqual({
      source: [EVENT_SOURCE],
      'detail-type': [...EVENT_ROUTES.notifications],
    });
    // Every planner event goes to the webhook queue, whatever its type (endpoints choose theirs).
    const webhooks = rules.find((r) => !r.Properties.EventPattern['detail-type'])!;
    expect(webhooks.Properties.EventPattern).toEqual({ source: [EVENT_SOURCE] });
    expect(JSON.stringify(webhooks.Properties.Targets[0].Arn)).toContain('WebhookQueue');
    template.resourceCountIs('AWS::Events::Archive', 1);
    // One registry schema per detail-type, for subscribers' code bindings.
    const schemas = resources('AWS::EventSchemas::Schema');
    expect(schemas.map((x) => x.Properties.SchemaName).sort()).toEqual(
      [...EVENT_DETAIL_TYPES].sort().map((type) => `${EVENT_SOURCE}@${type}`),
    );
    expect(JSON.parse(schemas[0]!.Properties.Content).components.schemas.AWSEvent['x-amazon-events-source']).toBe(
      EVENT_SOURCE,
    );
  });
});

describe('the operators API', () => {
  it('puts every route behind a JWT authorizer whose issuer and audience are the stack’s user pool and client', () => {
    const authorizer = resources('AWS::ApiGatewayV2::Authorizer')[0]!.Properties;
    expect(authorizer.AuthorizerType).toBe('JWT');
    expect(JSON.stringify(authorizer.JwtConfiguration.Issuer)).toContain('cognito-idp');
    expect(authorizer.JwtConfiguration.Audience).toHaveLength(1);
    const routes = resources('AWS::ApiGatewayV2::Route').map((r) => r.Properties);
    const open = ['GET /review', 'GET /review/config'];
    const data = routes.filter((r) => !open.includes(r.RouteKey));
    expect(data.map((r) => r.RouteKey).sort()).toEqual([
      'DELETE /{proxy+}',
      'GET /{proxy+}',
      'POST /{proxy+}',
      'PUT /{proxy+}',
    ]);
    for (const route of data) expect(route.AuthorizationType).toBe('JWT');
    // Only the static review page and where to sign in are reachable without a token.
    for (const key of open) expect(routes.find((r) => r.RouteKey === key)?.AuthorizationType).toBe('NONE');
  });

  it('has a user pool with a tenant attribute, an admin group, no self sign-up and MFA', () => {
    template.hasResourceProperties('AWS::Cognito::UserPool', {
      Schema: Match.arrayWith([Match.objectLike({ Name: 'tenant_id', Mutable: false })]),
      AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
      MfaConfiguration: 'ON',
    });
    template.hasResourceProperties('AWS::Cognito::UserPoolGroup', { GroupName: 'admin' });
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: Match.objectLike({ DestinationArn: Match.anyValue() }),
    });
  });

  it('mails purchase orders only from the configured sender, and only when one is configured', () => {
    const apiOf = (t: Template) =>
      Object.values(t.findResources('AWS::Lambda::Function')).find(
        (f: any) => f.Properties.Environment?.Variables?.SIGN_IN_CLIENT_ID,
      ) as Resource;
    expect(apiOf(template).Properties.Environment.Variables.MAIL_FROM).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain('ses:SendEmail');
    const mailing = synth({ mailFrom: 'orders@fournil.example' }).template;
    expect(apiOf(mailing).Properties.Environment.Variables.MAIL_FROM).toBe('orders@fournil.example');
    const statements = Object.values(mailing.findResources('AWS::IAM::Policy')).flatMap(
      (p: any) => p.Properties.PolicyDocument.Statement,
    );
    const ses = statements.filter((st: any) => st.Action === 'ses:SendEmail');
    expect(ses).toHaveLength(1);
    expect(ses[0].Condition).toEqual({ StringEquals: { 'ses:FromAddress': 'orders@fournil.example' } });
    expect(JSON.stringify(ses[0].Resource)).toContain('identity/fournil.example');
  });

  it('uses an external identity provider when given one, and then creates no user pool', () => {
    const external = synth({
      jwtIssuer: 'https://login.example.com/',
      jwtAudience: 'planner-api',
      oidcAuthorizeUrl: 'https://login.example.com/authorize',
      oidcTokenUrl: 'https://login.example.com/token',
      oidcClientId: 'planner-api',
      oidcRevokeUrl: 'https://login.example.com/revoke',
    }).template;
    external.resourceCountIs('AWS::Cognito::UserPool', 0);
    external.hasResourceProperties('AWS::ApiGatewayV2::Authorizer', {
      JwtConfiguration: { Issuer: 'https://login.example.com/', Audience: ['planner-api'] },
    });
    const api = Object.values(external.findResources('AWS::Lambda::Function')).find(
      (f: any) => f.Properties.Environment?.Variables?.SIGN_IN_CLIENT_ID,
    ) as Resource;
    expect(api.Properties.Environment.Variables).toMatchObject({
      SIGN_IN_AUTHORIZE_URL: 'https://login.example.com/authorize',
      SIGN_IN_TOKEN_URL: 'https://login.example.com/token',
      SIGN_IN_CLIENT_ID: 'planner-api',
      SIGN_IN_REVOKE_URL: 'https://login.example.com/revoke',
    });
  });

  it('signs managers in with the hosted UI: a public client with the code grant, calling back to /review and the CLI loopback', () => {
    const withUrls = synth({
      callbackUrls: 'https://plans.example.com/review',
      authDomainPrefix: 'fournil-plans',
    }).template;
    withUrls.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'fournil-plans' });
    const client = Object.values(withUrls.findResources('AWS::Cognito::UserPoolClient'))[0] as Resource;
    expect(client.Properties).toMatchObject({
      GenerateSecret: false,
      AllowedOAuthFlows: ['code'],
      AllowedOAuthFlowsUserPoolClient: true,
      AllowedOAuthScopes: ['openid', 'email', 'profile'],
      // Refresh tokens rotate (single use, 10 s grace) and are revocable at sign-out.
      EnableTokenRevocation: true,
      RefreshTokenRotation: { Feature: 'ENABLED', RetryGracePeriodSeconds: 10 },
      ExplicitAuthFlows: ['ALLOW_USER_SRP_AUTH'],
    });
    const api = Object.values(withUrls.findResources('AWS::Lambda::Function')).find(
      (f: any) => f.Properties.Environment?.Variables?.SIGN_IN_CLIENT_ID,
    ) as Resource;
    expect(JSON.stringify(api.Properties.Environment.Variables.SIGN_IN_REVOKE_URL)).toContain('/oauth2/revoke');
    const callbacks = JSON.stringify(client.Properties.CallbackURLs);
    for (const url of ['/review', 'http://localhost:8765/callback', 'https://plans.example.com/review'])
      expect(callbacks).toContain(url);
    const routes = Object.values(withUrls.findResources('AWS::ApiGatewayV2::Route')).map((r: any) => [
      r.Properties.RouteKey,
      r.Properties.AuthorizationType,
    ]);
    expect(routes).toEqual(
      expect.arrayContaining([
        ['GET /review', 'NONE'],
        ['GET /review/config', 'NONE'],
        ['GET /{proxy+}', 'JWT'],
      ]),
    );
    expect(Object.keys(withUrls.findOutputs('*'))).toContain('SignInUrl');
    expect(() => synth({ callbackUrls: 'http://plain.example.com/review' })).toThrow(/https URLs/);
  });
});

describe('the plan archive', () => {
  it('exports the table monthly to a private bucket that keeps 400 days in Glacier Instant Retrieval', () => {
    const bucket = resources('AWS::S3::Bucket').find((b) => JSON.stringify(b).includes('GLACIER_IR'));
    expect(bucket!.Properties.PublicAccessBlockConfiguration).toMatchObject({
      BlockPublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket!.Properties.LifecycleConfiguration.Rules[0]).toMatchObject({
      ExpirationInDays: 400,
      Transitions: [{ StorageClass: 'GLACIER_IR', TransitionInDays: 0 }],
    });
    const exports = resources('AWS::Scheduler::Schedule').filter((s) =>
      String(s.Properties.Target.Arn).endsWith('aws-sdk:dynamodb:exportTableToPointInTime'),
    );
    expect(exports).toHaveLength(1);
    expect(exports[0]!.Properties.ScheduleExpression).toBe('cron(0 3 1 * ? *)');
    expect(JSON.stringify(exports[0]!.Properties.Target.Input)).toContain('TableArn');
  });

  it('keeps the models in a private bucket the worker reads and writes and the API only reads', () => {
    const buckets = resources('AWS::S3::Bucket');
    expect(buckets).toHaveLength(2);
    const policies = JSON.stringify(resources('AWS::IAM::Policy'));
    const statements = resources('AWS::IAM::Policy').flatMap((p) =>
      (p.Properties.PolicyDocument.Statement as { Action: string | string[]; Resource: unknown }[]).map((st) => ({
        roles: JSON.stringify(p.Properties.Roles),
        actions: [st.Action].flat(),
        resource: JSON.stringify(st.Resource),
      })),
    );
    const onModels = statements.filter((st) => st.resource.includes('/models/*'));
    const worker = onModels.find((st) => st.roles.includes('PlanWorkerFunction'));
    const api = onModels.find((st) => st.roles.includes('ApiFunction'));
    expect(worker?.actions.sort()).toEqual(['s3:GetObject', 's3:PutObject']);
    expect(api?.actions).toEqual(['s3:GetObject']);
    expect(policies).not.toContain('s3:DeleteObject');
    const env = resources('AWS::Lambda::Function').map((f) => f.Properties.Environment?.Variables ?? {});
    expect(env.every((vars) => 'MODEL_BUCKET' in vars)).toBe(true);
  });
});

describe('the alarms', () => {
  const alarm = (name: string) =>
    resources('AWS::CloudWatch::Alarm').find((a) => a.Properties.AlarmName === name)!.Properties;

  it('has every alarm of the runbook, each notifying the alarm topic', () => {
    const names = resources('AWS::CloudWatch::Alarm')
      .map((a) => a.Properties.AlarmName)
      .sort();
    expect(names).toEqual([
      'AsyncFailuresDeadLetterQueueNotEmpty',
      'DailyCleanupFailed',
      'DailyProcurementPlanningFailed',
      'DailyProductionPlanningFailed',
      'EventDeadLetters',
      'EventsWaiting',
      'ForecastCacheFailing',
      'ForecastCacheHitRateLow',
      'ForecastDrifting',
      'HighTenantProcessingTimeouts',
      'JobsDeadLetterQueueNotEmpty',
      'ModelRefitFailed',
      'NoProductionSchedulesGenerated',
      'SchedulerDeadLetterQueueNotEmpty',
      'SchedulerUnhealthy',
      'SchedulerUnhealthy-Asia-Kathmandu',
      'SchedulerUnhealthy-Europe-Madrid',
      'TrainingBehind',
      'TrainingDeadLetterQueueNotEmpty',
      'WebhookDeadLetterQueueNotEmpty',
    ]);
    for (const a of resources('AWS::CloudWatch::Alarm')) expect(a.Properties.AlarmActions).toHaveLength(1);
  });

  it('alarms when the forecast cache hit rate falls under 70 % in a day', () => {
    const hitRate = alarm('ForecastCacheHitRateLow');
    expect(hitRate).toMatchObject({ Threshold: 70, ComparisonOperator: 'LessThanThreshold' });
    const expression = hitRate.Metrics.find((m: any) => m.Expression);
    expect(expression.Expression).toBe('100 * hits / (hits + misses)');
    expect(hitRate.Metrics.find((m: any) => m.Id === 'hits').MetricStat.Metric).toMatchObject({
      Namespace: METRICS_NAMESPACE,
      MetricName: 'ForecastCacheHits',
    });
  });

  it('alarms when 5 % of a day’s measured plans drift, taken of at least 20 (a rate, not a count)', () => {
    const drifting = alarm('ForecastDrifting');
    expect(drifting).toMatchObject({ Threshold: 5, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(drifting.Metrics.find((m: any) => m.Expression).Expression).toBe(
      '100 * drifts / IF(measured > 20, measured, 20)',
    );
    expect(drifting.Metrics.find((m: any) => m.Id === 'measured').MetricStat).toMatchObject({
      Metric: { Namespace: METRICS_NAMESPACE, MetricName: 'PlanScore' },
      Stat: 'SampleCount',
      Period: 86_400,
    });
    expect(drifting.Metrics.find((m: any) => m.Id === 'drifts').MetricStat).toMatchObject({
      Metric: { MetricName: 'ForecastDrift' },
      Stat: 'Sum',
    });
  });

  it('alarms when a zone has had no successful fan-out for 27 hours', () => {
    expect(alarm('SchedulerUnhealthy-Europe-Madrid')).toMatchObject({
      MetricName: 'SchedulerLastRunTimestamp',
      Namespace: METRICS_NAMESPACE,
      Statistic: 'SampleCount',
      Period: 3600,
      EvaluationPeriods: 27,
      DatapointsToAlarm: 27,
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      TreatMissingData: 'breaching',
      Dimensions: [
        { Name: 'Job', Value: 'production' },
        { Name: 'Timezone', Value: 'Europe/Madrid' },
      ],
    });
  });

  it('alarms when no production schedule is created in a day, and on failed tenant jobs', () => {
    expect(alarm('NoProductionSchedulesGenerated')).toMatchObject({
      MetricName: 'ProductionSchedulesGenerated',
      Period: 86400,
      Threshold: 1,
      TreatMissingData: 'breaching',
    });
    const failed = alarm('DailyProductionPlanningFailed');
    expect(failed).toMatchObject({ Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' });
    expect(
      failed.Metrics.filter((m: any) => m.MetricStat).map((m: any) => m.MetricStat.Metric.Dimensions),
    ).toContainEqual([
      { Name: 'Job', Value: 'production' },
      { Name: 'Status', Value: 'failed' },
    ]);
    expect(alarm('HighTenantProcessingTimeouts')).toMatchObject({ Threshold: 3 });
    expect(alarm('JobsDeadLetterQueueNotEmpty')).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Threshold: 1,
    });
  });
});

describe('cdk-nag', () => {
  const unsynthesized = () => buildApp(new App({ context: { 'aws:cdk:bundling-stacks': [], zones: ZONES.join(',') } }));

  it('finds nothing unacknowledged in the stack', () => {
    expect(() => unsynthesized().app.synth()).not.toThrow();
  });

  it('fails the synth on an unacknowledged finding', () => {
    const { app, stack } = unsynthesized();
    new Queue(stack, 'QueueWithoutDeadLetterQueue', { enforceSSL: true });
    expect(() => app.synth()).toThrow(/AwsSolutions-SQS3/);
  });
});
