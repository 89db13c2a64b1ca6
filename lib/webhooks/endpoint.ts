// Webhook endpoints and their delivery rules: which URLs may receive, what a delivery carries, when a
// failed one is tried again, and when an endpoint that keeps failing is disabled. Pure.
import type { EventDetailType, PlanEvent } from '../events/catalogue.ts';
import { refusedAddress } from './address.ts';

interface SealedSecret {
  /** The signing secret, encrypted (secret-sealer port); never returned by the API after creation. */
  sealed: string;
  createdAt: string;
  /** A rotated-out secret still signs until then (both sign during the overlap). */
  expiresAt?: string;
}

export interface WebhookEndpoint {
  tenantId: string;
  endpointId: string;
  url: string;
  /** The detail-types delivered (the event catalogue's). */
  eventTypes: EventDetailType[];
  description: string;
  enabled: boolean;
  /** Why it was disabled, and when: by a person, or by the circuit breaker. */
  disabled?: { at: string; by: string; reason: string };
  secrets: SealedSecret[];
  /** Since when every attempt failed (cleared by a success): the circuit breaker's clock. */
  failingSince?: string;
  createdAt: string;
  updatedAt: string;
  /** Bumped by every change: updates are conditional on it. */
  revision: number;
}

/** What the API shows of an endpoint: everything but the secrets, of which only the dates. */
export type WebhookEndpointView = Omit<WebhookEndpoint, 'secrets'> & {
  secrets: { createdAt: string; expiresAt?: string }[];
};

export const viewOf = ({ secrets, ...endpoint }: WebhookEndpoint): WebhookEndpointView => ({
  ...endpoint,
  secrets: secrets.map(({ sealed: _sealed, ...dates }) => dates),
});

/** Delays after a failed attempt, each with ±20 % jitter: about 28 hours from the first to the last. */
export const RETRY_DELAYS_SECONDS = [5, 300, 1_800, 7_200, 18_000, 36_000, 36_000] as const;
/** An endpoint whose every attempt failed for this long is disabled (and says why). */
const DISABLE_AFTER_FAILING_HOURS = 72;
/** At most this many deliveries to one endpoint at a time; the others wait a few seconds on the queue. */
export const MAX_CONCURRENT_DELIVERIES = 4;
/** How long a delivery holds its slot: the sender's timeout and a margin (a crashed one frees it then). */
export const SLOT_HOLD_SECONDS = 30;
/** At most this many endpoints per tenant. */
export const MAX_ENDPOINTS = 20;
/** How long a rotated-out secret keeps signing, unless the rotation says otherwise. */
export const DEFAULT_OVERLAP_HOURS = 24;

/** The moment of the next attempt after failed attempt `attempt` (1-based), or null when there is none. */
function nextAttemptAt(attempt: number, failedAt: Date, random: () => number = Math.random): Date | null {
  const delay = RETRY_DELAYS_SECONDS[attempt - 1];
  if (delay === undefined) return null;
  return new Date(failedAt.getTime() + delay * 1000 * (0.8 + 0.4 * random()));
}

export type AttemptOutcome =
  | { ok: true; status: number; latencyMs: number; excerpt: string }
  | { ok: false; status?: number; latencyMs: number; excerpt?: string; error: string };

/** What a failed attempt means: retry, or disable the endpoint (a 410, or failing for too long), or give up the event. */
export function afterFailure(
  endpoint: Pick<WebhookEndpoint, 'failingSince'>,
  outcome: Extract<AttemptOutcome, { ok: false }>,
  attempt: number,
  now: Date,
): { disable: string } | { retryAt: Date } | { giveUp: string } {
  if (outcome.status === 410) return { disable: 'the receiver answered 410 Gone' };
  const since = endpoint.failingSince ? Date.parse(endpoint.failingSince) : now.getTime();
  if (now.getTime() - since >= DISABLE_AFTER_FAILING_HOURS * 3_600_000)
    return { disable: `every delivery failed for ${DISABLE_AFTER_FAILING_HOURS} hours (last: ${outcome.error})` };
  const retryAt = nextAttemptAt(attempt, now);
  return retryAt ? { retryAt } : { giveUp: `no answer after ${attempt} attempts (last: ${outcome.error})` };
}

/** The body every endpoint receives (Standard Webhooks' shape): the event type, when, and the event. */
export function webhookBody(event: PlanEvent): string {
  return JSON.stringify({ type: event.detailType, timestamp: event.detail.occurredAt, data: event.detail });
}

export const wantsEvent = (endpoint: WebhookEndpoint, event: PlanEvent) =>
  endpoint.enabled && endpoint.eventTypes.includes(event.detailType);

/** The secrets that sign at `now`: the current one, and a rotated-out one until its overlap ends. */
export const signingSecrets = (endpoint: WebhookEndpoint, now: Date) =>
  endpoint.secrets.filter((s) => !s.expiresAt || Date.parse(s.expiresAt) > now.getTime());

/**
 * Why a URL may not receive webhooks, or null: https only (http to loopback in local mode only), no
 * credentials in it, a host name or a public address (decimal, octal and hex forms are normalised by the
 * URL parser first). A host name is checked again after DNS resolution, on every attempt.
 */
export function refusedUrl(raw: string, allowLoopback = false): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'not a URL';
  }
  if (url.username || url.password) return 'credentials in the URL are not allowed; authenticate with the signature';
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopbackName = /^localhost\.?$/i.test(host) || /\.localhost\.?$/i.test(host);
  const why = loopbackName ? 'loopback' : /^[\d.]+$|:/.test(host) ? refusedAddress(host) : null;
  const local = allowLoopback && (why === 'loopback' || why === 'unspecified or loopback');
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    return allowLoopback ? 'use https (http only to this machine)' : 'use https';
  if (why && !local) return `the address is ${why}`;
  if (!host.includes('.') && !/:/.test(host) && !local) return 'use a fully qualified host name';
  return null;
}
