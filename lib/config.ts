// The one reader of the process environment: every setting the functions, the local run and the CLI
// take from it, typed, with its default and a clear error when a required one is missing or malformed.
// Use cases never read the environment; the edges read it here and pass values in.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { PlannerError } from './errors.ts';

type Env = Readonly<Record<string, string | undefined>>;

class ConfigurationError extends PlannerError {
  constructor(message: string) {
    super('invalid', message);
  }
}

function required(env: Env, name: string): string {
  const value = env[name];
  if (!value)
    throw new ConfigurationError(`Environment variable ${name} is not set; the function's deployment must define it.`);
  return value;
}

function positiveNumber(env: Env, name: string, fallback: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!(Number.isFinite(value) && value > 0))
    throw new ConfigurationError(`Environment variable ${name} must be a number above 0, got "${raw}".`);
  return value;
}

const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function logLevel(env: Env = process.env): LogLevel {
  const raw = env.LOG_LEVEL?.toLowerCase();
  return LOG_LEVELS.find((level) => level === raw) ?? 'info';
}

/** What the planner functions (API, fan-out, worker, sweep) need to reach their AWS resources. */
export interface CloudConfig {
  tableName: string;
  jobsQueueUrl: string;
  /** The training lane's queue (the model refits: jobs/lanes.ts). */
  trainingQueueUrl: string;
  eventBusName: string;
  /** The bucket of the fitted forecasting models. */
  modelBucket: string;
  /** The fan-out function a sharded fan-out hands the rest of a zone to (unset where no fan-out runs). */
  fanOutFunctionName?: string;
  /** The webhook queue (deliveries waiting for their next attempt, replays): set where they are queued. */
  webhookQueueUrl?: string;
  /** The KMS key sealing webhook signing secrets: set where they are sealed or opened. */
  webhookKeyId?: string;
  /** The verified SES address purchase orders are e-mailed from (unset: they are not mailed). */
  mailFrom?: string;
}

export function cloudConfig(env: Env = process.env): CloudConfig {
  return {
    tableName: required(env, 'TABLE_NAME'),
    jobsQueueUrl: required(env, 'JOBS_QUEUE_URL'),
    trainingQueueUrl: required(env, 'TRAINING_QUEUE_URL'),
    eventBusName: required(env, 'EVENT_BUS_NAME'),
    modelBucket: required(env, 'MODEL_BUCKET'),
    ...(env.FAN_OUT_FUNCTION_NAME ? { fanOutFunctionName: env.FAN_OUT_FUNCTION_NAME } : {}),
    ...(env.WEBHOOK_QUEUE_URL ? { webhookQueueUrl: env.WEBHOOK_QUEUE_URL } : {}),
    ...(env.WEBHOOK_KEY_ID ? { webhookKeyId: env.WEBHOOK_KEY_ID } : {}),
    ...(env.MAIL_FROM ? { mailFrom: env.MAIL_FROM } : {}),
  };
}

/** Each tenant job's time budget (the worker's TENANT_BUDGET_MS). */
export function tenantBudgetMs(fallback: number, env: Env = process.env): number {
  return positiveNumber(env, 'TENANT_BUDGET_MS', fallback);
}

/** Test mode (TEST_MODE): the schedules fire every 30 minutes in the daily order (job-table.ts). */
export function testMode(env: Env = process.env): boolean {
  return env.TEST_MODE === 'true';
}

/** The schedule-sync function's resources: the zone schedules it keeps and the alarms beside them. */
export interface ScheduleSyncConfig {
  groupName: string;
  fanOutFunctionArn: string;
  roleArn: string;
  deadLetterQueueArn: string;
  alarmTopicArn: string;
  testMode: boolean;
  staticZones: string[];
}

export function scheduleSyncConfig(env: Env = process.env): ScheduleSyncConfig {
  return {
    groupName: required(env, 'SCHEDULE_GROUP_NAME'),
    fanOutFunctionArn: required(env, 'FAN_OUT_FUNCTION_ARN'),
    roleArn: required(env, 'SCHEDULER_ROLE_ARN'),
    deadLetterQueueArn: required(env, 'SCHEDULER_DLQ_ARN'),
    alarmTopicArn: required(env, 'ALARM_TOPIC_ARN'),
    testMode: testMode(env),
    staticZones: (env.STATIC_ZONES ?? '').split(',').filter(Boolean),
  };
}

/** Where clients sign in to the deployed API (set by the stack); null when none is configured. */
export interface SignInConfig {
  /** Where the browser signs in (absolute, or relative to the API for the local issuer). */
  authorizeUrl: string;
  tokenUrl: string;
  /** Where the browser goes to end the session at the issuer (absent: forget the tokens only). */
  logoutUrl?: string;
  /** Where a refresh token is revoked at sign-out (RFC 7009; Cognito's /oauth2/revoke). */
  revokeUrl?: string;
  clientId: string;
  scopes: string[];
  /** The token the API takes as bearer: Cognito's ID token carries the tenant claim. */
  bearer: 'id_token' | 'access_token';
}

export function signInConfig(env: Env = process.env): SignInConfig | null {
  if (!env.SIGN_IN_AUTHORIZE_URL || !env.SIGN_IN_TOKEN_URL || !env.SIGN_IN_CLIENT_ID) return null;
  return {
    authorizeUrl: env.SIGN_IN_AUTHORIZE_URL,
    tokenUrl: env.SIGN_IN_TOKEN_URL,
    ...(env.SIGN_IN_LOGOUT_URL ? { logoutUrl: env.SIGN_IN_LOGOUT_URL } : {}),
    ...(env.SIGN_IN_REVOKE_URL ? { revokeUrl: env.SIGN_IN_REVOKE_URL } : {}),
    clientId: env.SIGN_IN_CLIENT_ID,
    scopes: (env.SIGN_IN_SCOPES ?? 'openid email profile').split(/[ ,]+/).filter(Boolean),
    bearer: env.SIGN_IN_BEARER === 'access_token' ? 'access_token' : 'id_token',
  };
}

/** How the local run, `planner serve` and the tests reach DynamoDB. */
export interface LocalDynamoConfig {
  /** A running DynamoDB to use instead of starting DynamoDB Local. */
  endpoint?: string;
  /** How long to wait for DynamoDB to answer before giving up (a busy machine needs long). */
  startTimeoutMs: number;
}

const DEFAULT_DYNAMODB_START_SECONDS = 300;

export function localDynamoConfig(env: Env = process.env): LocalDynamoConfig {
  return {
    ...(env.DYNAMODB_ENDPOINT ? { endpoint: env.DYNAMODB_ENDPOINT } : {}),
    startTimeoutMs: positiveNumber(env, 'DYNAMODB_LOCAL_START_SECONDS', DEFAULT_DYNAMODB_START_SECONDS) * 1000,
  };
}

/** The local S3 of the models: S3_ENDPOINT points at a running one, else s3-local.ts starts one. */
export interface LocalS3Config {
  endpoint?: string;
  region: string;
}

export function localS3Config(env: Env = process.env): LocalS3Config {
  return { ...(env.S3_ENDPOINT ? { endpoint: env.S3_ENDPOINT } : {}), region: env.AWS_REGION ?? 'eu-west-1' };
}

/** The CLI's defaults: the API it calls, a token to use, the local signing key and the session file. */
export interface CliConfig {
  api: string;
  token?: string;
  localKey?: string;
  sessionFile: string;
}

export function cliConfig(env: Env = process.env): CliConfig {
  return {
    // The address `npm run serve` listens on and prints (its server binds 127.0.0.1 only).
    api: env.PLANNER_API ?? 'http://127.0.0.1:8787',
    ...(env.PLANNER_TOKEN ? { token: env.PLANNER_TOKEN } : {}),
    ...(env.PLANNER_LOCAL_KEY ? { localKey: env.PLANNER_LOCAL_KEY } : {}),
    sessionFile:
      env.PLANNER_SESSION_FILE ??
      join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'bakery-planner', 'session.json'),
  };
}
