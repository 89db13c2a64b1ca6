// `planner webhooks …`: a tenant's webhook endpoints through the API — list, add (the secret is printed
// once), change, disable or enable, rotate the secret, remove, the delivery log, and replays.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { EVENT_DETAIL_TYPES } from '../events/catalogue.ts';
import { renderTable } from '../text-table.ts';
import { type ApiClientOptions, apiCall } from './api-client.ts';
import { idArg, positiveInteger } from './arguments.ts';

type Connect = (command: Command) => Command;
type Connection<O> = (options: O, tenant?: string) => ApiClientOptions;
const print = (value: unknown) => console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));

interface Endpoint {
  endpointId: string;
  url: string;
  eventTypes: string[];
  description: string;
  enabled: boolean;
  disabled?: { at: string; by: string; reason: string };
  failingSince?: string;
  revision: number;
  secret?: string;
}
interface Attempt {
  at: string;
  eventId: string;
  eventType: string;
  attempt: number;
  outcome: string;
  status?: number;
  latencyMs: number;
  error?: string;
  nextAttemptAt?: string;
}

function eventTypesArg(value: string): string[] {
  const types = value.split(',').map((t) => t.trim());
  const unknown = types.filter((t) => !(EVENT_DETAIL_TYPES as readonly string[]).includes(t));
  if (unknown.length)
    throw new InvalidArgumentError(
      `unknown event type ${unknown.join(', ')}; expected some of ${EVENT_DETAIL_TYPES.join(', ')}.`,
    );
  return types;
}

const endpointLines = (endpoints: readonly Endpoint[]) =>
  renderTable(
    ['endpoint', 'state', 'url', 'events', 'description'],
    endpoints.map((e) => [
      e.endpointId,
      e.enabled
        ? e.failingSince
          ? `failing since ${e.failingSince}`
          : 'enabled'
        : `disabled: ${e.disabled?.reason ?? ''}`,
      e.url,
      e.eventTypes.join(','),
      e.description,
    ]),
  );

export function addWebhookCommands<O extends object>(
  program: Command,
  withConnection: Connect,
  connection: Connection<O>,
): void {
  const webhooks = program.command('webhooks').description("A tenant's webhook endpoints (docs/webhooks.md).");
  const sub = (name: string, description: string) =>
    withConnection(webhooks.command(name).description(description))
      .requiredOption('--tenant <id>', 'tenant id', idArg)
      .option('--json', 'the answer as JSON', false);
  const base = (o: { tenant: string }) => `/tenants/${o.tenant}/webhooks`;
  const showOne = (json: boolean, endpoint: Endpoint) => {
    if (json) return print(endpoint);
    print(endpointLines([endpoint]).join('\n'));
    if (endpoint.secret)
      print(`\nSigning secret (shown this once; keep it where your receiver reads it):\n${endpoint.secret}`);
  };

  sub('list', 'List the endpoints.').action(async (o: O & { tenant: string; json: boolean }) => {
    const { endpoints } = await apiCall<{ endpoints: Endpoint[] }>(connection(o, o.tenant), 'GET', base(o));
    if (o.json) return print(endpoints);
    print(endpoints.length ? endpointLines(endpoints).join('\n') : `No webhook endpoints for tenant ${o.tenant}.`);
  });

  sub('add', 'Add an endpoint; prints its signing secret once.')
    .requiredOption('--url <https-url>', 'where to deliver')
    .requiredOption('--events <types>', 'event types, comma-separated', eventTypesArg)
    .option('--description <text>', 'what it is for')
    .action(async (o: O & { tenant: string; json: boolean; url: string; events: string[]; description?: string }) => {
      const body = { url: o.url, eventTypes: o.events, ...(o.description ? { description: o.description } : {}) };
      showOne(o.json, await apiCall<Endpoint>(connection(o, o.tenant), 'POST', base(o), body));
    });

  sub('update', 'Change an endpoint, or --disable / --enable it.')
    .requiredOption('--id <endpointId>', 'the endpoint')
    .option('--url <https-url>', 'a new URL')
    .option('--events <types>', 'new event types, comma-separated', eventTypesArg)
    .option('--description <text>', 'a new description')
    .option('--disable', 'stop deliveries')
    .option('--enable', 'deliver again (the failing clock starts over)')
    .action(
      async (
        o: O & {
          tenant: string;
          json: boolean;
          id: string;
          url?: string;
          events?: string[];
          description?: string;
          disable?: boolean;
          enable?: boolean;
        },
      ) => {
        if (o.disable && o.enable) throw new InvalidArgumentError('give --disable or --enable, not both.');
        const body = {
          ...(o.url ? { url: o.url } : {}),
          ...(o.events ? { eventTypes: o.events } : {}),
          ...(o.description !== undefined ? { description: o.description } : {}),
          ...(o.disable ? { enabled: false } : o.enable ? { enabled: true } : {}),
        };
        showOne(o.json, await apiCall<Endpoint>(connection(o, o.tenant), 'PUT', `${base(o)}/${o.id}`, body));
      },
    );

  sub('rotate', 'A new signing secret (printed once); the old one signs beside it for --overlap-hours.')
    .requiredOption('--id <endpointId>', 'the endpoint')
    .option('--overlap-hours <n>', 'hours the old secret keeps signing (0: stop at once)', (v) =>
      v === '0' ? 0 : positiveInteger(v),
    )
    .action(async (o: O & { tenant: string; json: boolean; id: string; overlapHours?: number }) => {
      const body = o.overlapHours === undefined ? {} : { overlapHours: o.overlapHours };
      showOne(
        o.json,
        await apiCall<Endpoint>(connection(o, o.tenant), 'POST', `${base(o)}/${o.id}/rotate-secret`, body),
      );
    });

  sub('remove', 'Delete an endpoint.')
    .requiredOption('--id <endpointId>', 'the endpoint')
    .action(async (o: O & { tenant: string; json: boolean; id: string }) => {
      await apiCall(connection(o, o.tenant), 'DELETE', `${base(o)}/${o.id}`);
      print(`Deleted webhook endpoint ${o.id}.`);
    });

  sub('deliveries', 'The delivery log, newest first.')
    .requiredOption('--id <endpointId>', 'the endpoint')
    .option('--limit <n>', 'at most this many attempts (up to 200)', positiveInteger, 20)
    .action(async (o: O & { tenant: string; json: boolean; id: string; limit: number }) => {
      const { attempts } = await apiCall<{ attempts: Attempt[] }>(
        connection(o, o.tenant),
        'GET',
        `${base(o)}/${o.id}/deliveries?limit=${o.limit}`,
      );
      if (o.json) return print(attempts);
      if (attempts.length === 0) return print(`No deliveries to ${o.id} in the last 30 days.`);
      print(
        renderTable(
          ['at', 'event', 'type', '#', 'outcome', 'status', 'ms', 'next attempt / error'],
          attempts.map((a) => [
            a.at,
            a.eventId,
            a.eventType,
            String(a.attempt),
            a.outcome,
            a.status === undefined ? '—' : String(a.status),
            String(a.latencyMs),
            a.nextAttemptAt ?? a.error ?? '',
          ]),
          new Set([3, 5, 6]),
        ).join('\n'),
      );
    });

  sub('replay', 'Deliver again one event (--event) or those first sent between --from and --to.')
    .requiredOption('--id <endpointId>', 'the endpoint')
    .option('--event <eventId>', 'the event id')
    .option('--from <instant>', 'ISO instant')
    .option('--to <instant>', 'ISO instant')
    .action(
      async (o: O & { tenant: string; json: boolean; id: string; event?: string; from?: string; to?: string }) => {
        if (!o.event === !(o.from && o.to)) throw new InvalidArgumentError('give --event, or --from and --to.');
        const body = o.event ? { eventId: o.event } : { from: o.from, to: o.to };
        const { replayed } = await apiCall<{ replayed: number }>(
          connection(o, o.tenant),
          'POST',
          `${base(o)}/${o.id}/replay`,
          body,
        );
        print(o.json ? { replayed } : `${replayed} event${replayed === 1 ? '' : 's'} queued for ${o.id}.`);
      },
    );
}
