// `planner serve` (npm run serve): the API handler behind a local HTTP server on DynamoDB Local.
// Tokens are verified here as API Gateway's JWT authorizer does in the cloud: HS256 tokens signed
// with the local key (`planner token` mints them). Queued jobs (manual runs, regenerations) are worked
// off in the background by the real worker handler.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Context } from 'aws-lambda';
import { createApiHandler } from '../../functions/api/handler.ts';
import { createPlanWorkerHandler } from '../../functions/plan-worker/handler.ts';
import { createWebhookDeliveryHandler } from '../../functions/webhook-delivery/handler.ts';
import { httpApiEvent } from '../api/http-event.ts';
import { withSecurityHeaders } from '../api/security-headers.ts';
import { HTTP_STATUS, PlannerError, UnauthorizedError } from '../errors.ts';
import { BodyTooLargeError, LIMITS } from '../input/grammar.ts';
import { createLocalIssuer, LOCAL_SIGN_IN, type LocalUser } from './local-issuer.ts';
import type { LocalStack } from './local-ports.ts';
import { verifyLocalToken } from './local-token.ts';

/** The body, up to the API's limit (past it: 413, as API Gateway's payload limit answers in the cloud). */
async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request) {
    bytes += (chunk as Buffer).length;
    if (bytes > LIMITS.bodyBytes) throw new BodyTooLargeError();
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The path exactly as sent (no dot-segment resolution, no decoding: the router refuses what API
 * Gateway would not route), and the query decoded as API Gateway does.
 */
function splitTarget(target: string): { path: string; query: Record<string, string> } {
  const at = target.indexOf('?');
  const path = at < 0 ? target : target.slice(0, at);
  const query: Record<string, string> = Object.create(null);
  if (at >= 0) for (const [name, value] of new URLSearchParams(target.slice(at + 1))) query[name] = value;
  return { path, query };
}

const context = {} as Context;

export interface LocalServerOptions {
  /** Sign-in at the local issuer (/local-auth/*, as the hosted UI in the cloud); without, bearer tokens only. */
  users?: readonly LocalUser[];
  /** The clock every request sees (default: the machine's); tests fix it so that no answer depends on today. */
  now?: () => Date;
  /**
   * The origins the review page is served from, where the issuer may send a sign-in back (default:
   * http://127.0.0.1 and http://localhost at the port the server listens on; never the Host header).
   */
  origins?: readonly string[];
}

export function createLocalServer(stack: LocalStack, key: string, options: LocalServerOptions = {}): Server {
  const now = options.now ?? (() => new Date());
  const issuer = options.users ? createLocalIssuer(options.users, key) : null;
  const api = createApiHandler(
    () => stack.ports,
    () => (issuer ? LOCAL_SIGN_IN : null),
  );
  const worker = createPlanWorkerHandler(
    () => stack.ports,
    () => 60_000,
  );
  const webhooks = createWebhookDeliveryHandler(() => stack.ports);
  // After each request: the table stream's relay publishes what the request changed, the queue works
  // off what that routed (a regeneration), and the webhook queue delivers the events to the endpoints
  // (on this machine too, in local mode). Runs follow one another, so none is missed.
  let draining: Promise<unknown> = Promise.resolve();
  const drain = () => {
    draining = draining
      .then(() => stack.queue.drain((event) => worker(event, context)))
      .then(() => stack.webhookQueue.drain((event) => webhooks(event, context)))
      .catch((error: unknown) => stack.ports.log.error('Local relay, worker or webhook delivery failed', { error }));
    return draining;
  };
  // Retries come due with time, not with requests: look every five seconds.
  setInterval(() => {
    if (stack.webhookQueue.depth > 0) {
      stack.setNow(now());
      void drain();
    }
  }, 5000).unref();
  const ownOrigins = (): readonly string[] => {
    if (options.origins) return options.origins;
    const address = server.address();
    const port = address && typeof address === 'object' ? address.port : 0;
    return [`http://127.0.0.1:${port}`, `http://localhost:${port}`];
  };
  const server = createServer(async (request, response) => {
    const { path, query } = splitTarget(request.url ?? '/');
    const send = (status: number, body: string, headers: Record<string, string> = {}) => {
      response.writeHead(status, withSecurityHeaders({ 'content-type': 'application/json', ...headers }));
      response.end(body);
    };
    try {
      if (issuer && path.startsWith('/local-auth/')) {
        const signIn = issuer.handle({
          method: request.method ?? 'GET',
          path,
          query: new URLSearchParams(query as Record<string, string>),
          body: await readBody(request),
          origins: ownOrigins(),
          client: request.socket.remoteAddress ?? '',
        });
        if (signIn) {
          send(signIn.status, signIn.body, {
            'content-type': signIn.contentType ?? 'text/plain',
            ...signIn.headers,
            ...(signIn.location ? { location: signIn.location } : {}),
          });
          return;
        }
      }
      const authorization = request.headers.authorization ?? '';
      let claims: Record<string, unknown> | undefined;
      if (authorization) {
        const token = /^Bearer (.+)$/i.exec(authorization)?.[1];
        if (!token) throw new UnauthorizedError('The Authorization header must be "Bearer <token>".');
        claims = verifyLocalToken(token, key);
        if (claims.token_use === 'refresh')
          throw new UnauthorizedError('A refresh token is not a bearer token; exchange it at the token endpoint.');
      }
      stack.setNow(now());
      const body = await readBody(request);
      const event = httpApiEvent({
        method: request.method ?? 'GET',
        path,
        query,
        headers: Object.fromEntries(Object.entries(request.headers).map(([k, v]) => [k, String(v)])),
        body,
        sourceIp: request.socket.remoteAddress ?? '',
        ...(claims ? { claims } : {}),
      });
      const result = await api(event, context);
      send(
        result.statusCode ?? 200,
        String(result.body ?? ''),
        Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, value]) => [name, String(value)])),
      );
      if (request.method !== 'GET' || stack.queue.depth > 0) void drain();
    } catch (error) {
      if (error instanceof PlannerError)
        send(HTTP_STATUS[error.kind], JSON.stringify({ error: error.message, ...error.details }));
      else {
        stack.ports.log.error('Local server error', { error });
        send(500, JSON.stringify({ error: 'Internal error; see the log.' }));
      }
    }
  });
  return server;
}
