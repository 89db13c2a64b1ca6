// Delivers a webhook over HTTP(S) to a public address only: the host is resolved here, every address it
// resolves to is checked (webhooks/address.ts), and the connection goes to the address checked (no second
// lookup a rebinding DNS could answer differently). No redirect is followed, the answer is read up to
// 4 KB, and the whole attempt has a 10 s timeout. Never throws: the outcome says what happened.
import { lookup } from 'node:dns/promises';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookSender } from '../ports.ts';
import { isLoopback, refusedAddress } from '../webhooks/address.ts';
import { type AttemptOutcome, refusedUrl } from '../webhooks/endpoint.ts';

/** How long a receiver has to answer. */
const TIMEOUT_MS = 10_000;
const MAX_ANSWER_BYTES = 4096;
const EXCERPT_CHARACTERS = 500;

export class HttpsWebhookSender implements WebhookSender {
  constructor(
    readonly allowLoopback = false,
    private readonly resolve: (host: string) => Promise<{ address: string; family: number }[]> = (host) =>
      lookup(host, { all: true, verbatim: true }),
    private readonly timeoutMs = TIMEOUT_MS,
  ) {}

  async post(url: string, headers: Record<string, string>, body: string): Promise<AttemptOutcome> {
    const started = Date.now();
    const failed = (error: string, status?: number, excerpt?: string): AttemptOutcome => ({
      ok: false,
      error,
      latencyMs: Date.now() - started,
      ...(status !== undefined ? { status } : {}),
      ...(excerpt ? { excerpt } : {}),
    });
    const refused = refusedUrl(url, this.allowLoopback);
    if (refused) return failed(`refused: ${refused}`);
    const target = new URL(url);
    const host = target.hostname.replace(/^\[|\]$/g, '');
    let addresses: { address: string; family: number }[];
    try {
      addresses = await this.resolve(host);
    } catch (error) {
      return failed(`the host name does not resolve (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    const allowed = (address: string) =>
      refusedAddress(address) === null || (this.allowLoopback && isLoopback(address));
    const bad = addresses.find((a) => !allowed(a.address));
    if (bad || addresses.length === 0)
      return failed(
        `refused: ${host} resolves to ${bad?.address ?? 'nothing'} (${bad ? refusedAddress(bad.address) : 'no address'})`,
      );
    const chosen = addresses[0]!;
    // Connect to the address checked above, whatever the resolver would say now.
    const pinned: LookupFunction = (_host, options, callback) => {
      if ((options as { all?: boolean }).all) (callback as (e: null, a: typeof addresses) => void)(null, [chosen]);
      else callback(null, chosen.address, chosen.family);
    };
    return new Promise<AttemptOutcome>((resolve) => {
      const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(
        target,
        {
          method: 'POST',
          lookup: pinned,
          headers: {
            ...headers,
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(body)),
            'user-agent': 'bakery-planner-webhooks/1',
          },
          signal: AbortSignal.timeout(this.timeoutMs),
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          const finish = () => {
            const status = res.statusCode ?? 0;
            const excerpt = Buffer.concat(chunks).toString('utf8').slice(0, EXCERPT_CHARACTERS);
            res.destroy();
            if (status >= 200 && status < 300) resolve({ ok: true, status, latencyMs: Date.now() - started, excerpt });
            else if (status >= 300 && status < 400)
              resolve(
                failed(
                  `redirects are not followed (${status} to ${String(res.headers.location ?? '?').slice(0, 200)})`,
                  status,
                  excerpt,
                ),
              );
            else resolve(failed(`the receiver answered ${status}`, status, excerpt));
          };
          res.on('data', (chunk: Buffer) => {
            if (size < MAX_ANSWER_BYTES) chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - size));
            size += chunk.length;
            if (size >= MAX_ANSWER_BYTES) finish();
          });
          res.on('end', finish);
          res.on('error', (error) => resolve(failed(`the answer broke off (${error.message})`)));
        },
      );
      req.on('error', (error) =>
        resolve(
          failed(
            error.name === 'AbortError' || error.name === 'TimeoutError'
              ? `no answer within ${this.timeoutMs / 1000} s`
              : `could not connect (${(error as NodeJS.ErrnoException).code ?? error.message})`,
          ),
        ),
      );
      req.end(body);
    });
  }
}
