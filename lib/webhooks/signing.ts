// Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-id` (the event's id, so a
// receiver drops duplicates), `webhook-timestamp` (seconds) and `webhook-signature` (HMAC-SHA256 of
// id.timestamp.body, one `v1,…` per signing secret during a rotation's overlap), by the
// `standardwebhooks` package.
import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

/** A new signing secret: `whsec_` and 32 random bytes in base64, the format receivers' libraries take. */
export function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

/** The three headers of one delivery, signed with every secret given (newest first). */
export function signedHeaders(secrets: readonly string[], id: string, at: Date, body: string): Record<string, string> {
  const seconds = Math.floor(at.getTime() / 1000);
  return {
    'webhook-id': id,
    'webhook-timestamp': String(seconds),
    'webhook-signature': secrets
      .map((secret) => new Webhook(secret).sign(id, new Date(seconds * 1000), body))
      .join(' '),
  };
}
