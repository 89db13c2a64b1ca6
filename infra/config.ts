// Deploy-time settings of the stack, read from CDK context (`cdk deploy -c zones=Europe/Madrid,...`).
import type { Node } from 'constructs';
import { DEFAULT_TENANT_BUDGET_MS } from '../lib/app/time-budget.ts';
import { assertTimezone, DEFAULT_TIMEZONE } from '../lib/time/tenant-clock.ts';

export interface PlannerConfig {
  /** Zones whose schedules the stack owns; other zones get theirs from the schedule-sync function. */
  zones: string[];
  /** Compress the day into 30-minute cycles (production, then cleanup, then procurement) instead of the daily local times. */
  testMode: boolean;
  tenantBudgetSeconds: number;
  maxReceiveCount: number;
  workerBatchSize: number;
  workerMaxConcurrency: number;
  /** The training lane's budget per refit (its function's timeout is a minute more). */
  trainingBudgetSeconds: number;
  /** The training lane's concurrency cap: refits never take more, whatever their backlog. */
  trainingMaxConcurrency: number;
  /** The webhook delivery function's concurrency cap (each invocation sends up to ten deliveries at once). */
  webhookMaxConcurrency: number;
  alarmEmail?: string;
  notificationEmail?: string;
  /** An external identity provider for the API (else a Cognito user pool is created). */
  jwtIssuer?: string;
  jwtAudience?: string[];
  /** The external provider's sign-in endpoints and public client (code + PKCE) for the review page and `planner login`. */
  oidcAuthorizeUrl?: string;
  oidcTokenUrl?: string;
  oidcLogoutUrl?: string;
  oidcRevokeUrl?: string;
  oidcClientId?: string;
  /** The user pool's hosted sign-in domain prefix (default: bakery-planner-<account>). */
  authDomainPrefix?: string;
  /** More callback (and sign-out) URLs than the API's /review page and the CLI's loopback (a custom domain). */
  callbackUrls: string[];
  /** The verified SES address purchase orders are e-mailed from (unset: they are downloaded, not mailed). */
  mailFrom?: string;
}

export const DEFAULT_CONFIG: PlannerConfig = {
  zones: [DEFAULT_TIMEZONE],
  testMode: false,
  tenantBudgetSeconds: DEFAULT_TENANT_BUDGET_MS / 1000,
  maxReceiveCount: 3,
  workerBatchSize: 5,
  // The fleet model of bench:cost: a 300,000-tenant group of zones firing together needs 116–123 workers
  // for production to end within 15 minutes; at 150 it takes about 12 (docs/deploy.md).
  workerMaxConcurrency: 150,
  trainingBudgetSeconds: 600,
  // A 1,000,000-tenant fleet's week of refits needs about 8 trainers around the clock (bench:cost).
  trainingMaxConcurrency: 20,
  webhookMaxConcurrency: 10,
  callbackUrls: [],
};

function positive(name: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0)
    throw new Error(`Context "${name}" must be a positive whole number, got "${String(value)}".`);
  return parsed;
}

export function readConfig(node: Node): PlannerConfig {
  const get = (key: string) => node.tryGetContext(key) as unknown;
  const zones = get('zones');
  const list = zones === undefined ? DEFAULT_CONFIG.zones : Array.isArray(zones) ? zones : String(zones).split(',');
  const optionalString = (key: string) => (get(key) ? String(get(key)) : undefined);
  return {
    zones: [...new Set(list.map((z) => assertTimezone(String(z).trim())))],
    testMode: get('testMode') === true || get('testMode') === 'true',
    tenantBudgetSeconds: positive(
      'tenantBudgetSeconds',
      get('tenantBudgetSeconds'),
      DEFAULT_CONFIG.tenantBudgetSeconds,
    ),
    maxReceiveCount: positive('maxReceiveCount', get('maxReceiveCount'), DEFAULT_CONFIG.maxReceiveCount),
    workerBatchSize: positive('workerBatchSize', get('workerBatchSize'), DEFAULT_CONFIG.workerBatchSize),
    workerMaxConcurrency: positive(
      'workerMaxConcurrency',
      get('workerMaxConcurrency'),
      DEFAULT_CONFIG.workerMaxConcurrency,
    ),
    trainingBudgetSeconds: positive(
      'trainingBudgetSeconds',
      get('trainingBudgetSeconds'),
      DEFAULT_CONFIG.trainingBudgetSeconds,
    ),
    trainingMaxConcurrency: positive(
      'trainingMaxConcurrency',
      get('trainingMaxConcurrency'),
      DEFAULT_CONFIG.trainingMaxConcurrency,
    ),
    webhookMaxConcurrency: positive(
      'webhookMaxConcurrency',
      get('webhookMaxConcurrency'),
      DEFAULT_CONFIG.webhookMaxConcurrency,
    ),
    ...(optionalString('alarmEmail') ? { alarmEmail: optionalString('alarmEmail') } : {}),
    ...(optionalString('notificationEmail') ? { notificationEmail: optionalString('notificationEmail') } : {}),
    ...(optionalString('jwtIssuer')
      ? {
          jwtIssuer: optionalString('jwtIssuer'),
          jwtAudience: String(get('jwtAudience') ?? '')
            .split(',')
            .filter(Boolean),
        }
      : {}),
    ...Object.fromEntries(
      (
        [
          'oidcAuthorizeUrl',
          'oidcTokenUrl',
          'oidcLogoutUrl',
          'oidcRevokeUrl',
          'oidcClientId',
          'authDomainPrefix',
          'mailFrom',
        ] as const
      ).flatMap((key) => (optionalString(key) ? [[key, optionalString(key)]] : [])),
    ),
    callbackUrls: String(get('callbackUrls') ?? '')
      .split(',')
      .map((url) => url.trim())
      .filter(Boolean)
      .map((url) => {
        if (!/^https:\/\/[^\s/]+(\/\S*)?$/.test(url))
          throw new Error(`Context "callbackUrls" takes https URLs separated by commas, got "${url}".`);
        return url;
      }),
  };
}
