// The operators' commands: the same HTTP API as everyone else, against the local server or a deployed
// API. The token: --token, else one minted with the local key for --as-tenant / --as-admin, else
// PLANNER_TOKEN, else the session of `planner login` for that API (refreshed as needed), else one
// minted with the local key for the command's tenant. An explicit flag always wins over the environment.
import { readFileSync } from 'node:fs';
import type { Command } from 'commander';
import { cliConfig } from '../config.ts';
import { JOB_NAMES } from '../jobs/job-table.ts';
import { mintLocalToken } from '../local/local-token.ts';
import type { CacheStats, CatchUpDue, CreatedTenant, TenantList, UpdatedTenant, ZonesMoved } from './api-answers.ts';
import { type ApiClientOptions, apiCall, apiExchange, sayAside } from './api-client.ts';
import {
  calendarDateArg,
  choiceArg,
  idArg,
  idListArg,
  openingHoursArg,
  positiveInteger,
  tokenHoursArg,
} from './arguments.ts';
import { addOnboardingCommands } from './onboarding-commands.ts';
import { addPlanCommands } from './plan-commands.ts';
import { DEFAULT_LOGIN_PORT, login, logout, sessionBearer, sessionFile } from './session.ts';
import { addWebhookCommands } from './webhook-commands.ts';

interface ConnectionOptions {
  api: string;
  token?: string;
  asTenant?: string;
  asAdmin?: boolean;
}

function connection(options: ConnectionOptions, tenant?: string, admin = false): ApiClientOptions {
  const explicit =
    options.token ??
    (options.asAdmin ? mintLocalToken({ admin: true }) : undefined) ??
    (options.asTenant ? mintLocalToken({ tenant: options.asTenant }) : undefined) ??
    cliConfig().token;
  if (explicit) return { baseUrl: options.api, token: explicit };
  return {
    baseUrl: options.api,
    token: async () =>
      (await sessionBearer(options.api)) ??
      (admin ? mintLocalToken({ admin: true }) : mintLocalToken({ tenant: tenant! })),
  };
}

const print = (value: unknown) => console.log(typeof value === 'string' ? value : JSON.stringify(value, null, 2));

export function addOperatorCommands(program: Command): void {
  const withConnection = (command: Command) =>
    command
      .option('--api <url>', 'the planner API', cliConfig().api)
      .option('--token <jwt>', 'bearer token (default: PLANNER_TOKEN, or one minted with the local key)')
      .option('--as-tenant <id>', 'mint a local token for this tenant', idArg)
      .option('--as-admin', 'mint a local admin token');

  program
    .command('login')
    .description(
      "Sign in at the API's issuer (hosted UI or the local one) in a browser and keep a refreshable session.",
    )
    .option('--api <url>', 'the planner API', cliConfig().api)
    .option(
      '--port <n>',
      'loopback port for the callback (registered as a callback URL)',
      positiveInteger,
      DEFAULT_LOGIN_PORT,
    )
    .action(async (o: { api: string; port: number }) => {
      const session = await login({
        api: o.api,
        port: o.port,
        show: (url) =>
          print(`Open this URL in a browser to sign in (waiting for it on 127.0.0.1:${o.port}):\n  ${url}`),
      });
      print(`Signed in to ${session.api}; the session (refreshed as needed) is in ${sessionFile()}.`);
    });

  program
    .command('logout')
    .description('End the session of planner login: its refresh token is revoked at the issuer, the file removed.')
    .action(async () => {
      const { removed, revoked } = await logout();
      if (!removed) return print('No session to forget.');
      print(
        revoked
          ? `Signed out: the refresh token is revoked and ${sessionFile()} removed.`
          : `Signed out: ${sessionFile()} removed. The issuer could not revoke the refresh token (unreachable, or it has no revocation): it stays valid until it expires.`,
      );
    });

  program
    .command('token')
    .description('Mint a token signed with the local key (for the local server).')
    .option('--tenant <id>', 'the tenant the token belongs to', idArg)
    .option('--admin', 'an admin token')
    .option('--hours <n>', 'validity in hours', tokenHoursArg, 12)
    .action((o: { tenant?: string; admin?: boolean; hours: number }) => {
      if (!o.tenant && !o.admin) throw new Error('Give --tenant <id>, --admin, or both.');
      print(mintLocalToken(o));
    });

  withConnection(program.command('tenants').description('List tenants and zones (admin).')).action(
    async (o: ConnectionOptions) => {
      const body = await apiCall<TenantList>(connection(o, undefined, true), 'GET', '/tenants');
      for (const t of body.tenants) print(`${t.tenantId.padEnd(24)} ${t.timezone.padEnd(22)} ${t.demo ? 'demo' : ''}`);
    },
  );

  withConnection(program.command('create-tenant').description('Create a tenant (admin).'))
    .requiredOption('--tenant <id>', 'the new tenant id', idArg)
    .requiredOption('--name <name>')
    .option('--timezone <iana>', 'IANA zone', 'Europe/Madrid')
    .option('--currency <code>', 'ISO 4217 currency of its prices', 'EUR')
    .option('--locale <tag>', 'how amounts are written', 'es-ES')
    .option(
      '--public-holidays <code>',
      "the country's (and region's) public holidays the forecasts know: FR, DE-BY, US-CA",
    )
    .option('--demo', 'demo tenant', false)
    .option('--json', 'the created tenant as JSON', false)
    .action(
      async (
        o: ConnectionOptions & {
          tenant: string;
          name: string;
          timezone: string;
          currency: string;
          locale: string;
          publicHolidays?: string;
          demo: boolean;
          json: boolean;
        },
      ) => {
        const created = await apiCall<CreatedTenant>(connection(o, undefined, true), 'POST', '/tenants', {
          tenantId: o.tenant,
          name: o.name,
          timezone: o.timezone,
          currency: o.currency,
          locale: o.locale,
          ...(o.publicHolidays ? { publicHolidays: o.publicHolidays } : {}),
          demo: o.demo,
        });
        if (o.json) return print(created);
        print(
          `Created ${created.tenantId} (${created.name}) in ${created.timezone}, prices in ${created.currency}, written ${created.locale}.`,
        );
        print(`Next: catalog import, stock import, import-sales (docs/onboarding.md).`);
        for (const due of created.catchUpDue)
          print(
            `Today's ${due.jobs.join(', ')} already ran in ${created.timezone}: the sales import plans ${due.planDate} by itself once the catalog is in ("catch-up --tenant ${created.tenantId}" runs it again).`,
          );
      },
    );

  withConnection(
    program
      .command('set-tenant')
      .description(
        'Change a tenant: its name, zone, currency, locale, review deadline (a whole local hour 07:00–23:00), opening hours or public-holiday calendar.',
      ),
  )
    .requiredOption('--tenant <id>', 'tenant id', idArg)
    .option('--name <name>')
    .option('--timezone <iana>', 'IANA zone (a move plans every local date once)')
    .option('--currency <code>', 'ISO 4217 currency of its prices')
    .option('--locale <tag>', 'how amounts are written')
    .option('--review-deadline <HH:00>', 'when unapproved plans escalate, local time')
    .option('--opening-hours <HH:MM-HH:MM>', 'when the shop is open (a sold-out time falls between)', openingHoursArg)
    .option(
      '--public-holidays <code>',
      "the country's (and region's) public holidays the forecasts know: FR, DE-BY, US-CA",
    )
    .option('--json', 'the updated tenant as JSON', false)
    .action(
      async (
        o: ConnectionOptions & {
          tenant: string;
          name?: string;
          timezone?: string;
          currency?: string;
          locale?: string;
          reviewDeadline?: string;
          openingHours?: { opens: string; closes: string };
          publicHolidays?: string;
          json: boolean;
        },
      ) => {
        const update = Object.fromEntries(
          (
            ['name', 'timezone', 'currency', 'locale', 'reviewDeadline', 'openingHours', 'publicHolidays'] as const
          ).flatMap((key) => (o[key] === undefined ? [] : [[key, o[key]]])),
        );
        if (Object.keys(update).length === 0)
          throw new Error(
            'Nothing to change: give --name, --timezone, --currency, --locale, --review-deadline, --opening-hours or --public-holidays.',
          );
        const updated = await apiCall<UpdatedTenant>(connection(o, o.tenant), 'PUT', `/tenants/${o.tenant}`, update);
        if (o.json) return print(updated);
        print(
          `${updated.tenantId} (${updated.name}): ${updated.timezone}, prices in ${updated.currency}, written ${updated.locale}, review by ${updated.reviewDeadline ?? '10:00'}${updated.publicHolidays ? `, public holidays of ${updated.publicHolidays}` : ''}.`,
        );
        for (const date of updated.catchUp ?? []) print(`Planning ${date} (the zone change).`);
      },
    );

  const csvImports = [
    ['import-sales', 'sales', 'Import a sales CSV (columns productId,date,units) for a tenant.'],
    [
      'import-actuals',
      'actuals',
      "Record a day's actuals (a POS export: CSV columns date,productId,sold,leftover and optionally carriedOver,soldOutAt) for a tenant.",
    ],
    [
      'import-drivers',
      'drivers',
      'Import daily drivers (a CSV with a date column and one column per driver, such as temperature or promotion) for a tenant.',
    ],
  ] as const;
  for (const [name, resource, description] of csvImports) {
    withConnection(program.command(name).description(description))
      .requiredOption('--tenant <id>', 'tenant id', idArg)
      .requiredOption('--csv <file>')
      .action(async (o: ConnectionOptions & { tenant: string; csv: string }) => {
        const csv = readFileSync(o.csv, 'utf8');
        const { body, headers } = await apiExchange<{ warnings?: string[] }>(
          connection(o, o.tenant),
          'POST',
          `/tenants/${o.tenant}/${resource}`,
          csv,
          'text/csv',
        );
        print(body);
        sayAside(headers, body.warnings);
      });
  }

  withConnection(program.command('run').description('Run a job now (admin): all tenants, one zone, or some tenants.'))
    .requiredOption('--job <job>', JOB_NAMES.join(', '), choiceArg(JOB_NAMES))
    .option('--date <YYYY-MM-DD>', 'plan date', calendarDateArg)
    .option('--zone <iana>', 'only this zone')
    .option('--tenants <ids>', 'comma-separated tenant ids', idListArg)
    .option('--include-demo', 'include demo tenants', false)
    .action(
      async (
        o: ConnectionOptions & { job: string; date?: string; zone?: string; tenants?: string[]; includeDemo: boolean },
      ) => {
        const body = {
          job: o.job,
          includeDemo: o.includeDemo,
          ...(o.date ? { planDate: o.date } : {}),
          ...(o.zone ? { timezone: o.zone } : {}),
          ...(o.tenants ? { tenantIds: o.tenants } : {}),
        };
        print(await apiCall(connection(o, undefined, true), 'POST', '/runs', body));
      },
    );

  withConnection(
    program
      .command('catch-up')
      .description("Run a tenant's jobs of today whose local time has passed, in order (a late tenant, an outage)."),
  )
    .requiredOption('--tenant <id>', 'tenant id', idArg)
    .action(async (o: ConnectionOptions & { tenant: string }) => {
      const due = await apiCall<CatchUpDue>(connection(o, o.tenant), 'POST', `/tenants/${o.tenant}/catch-up`);
      print(
        due.jobs.length
          ? `Catch-up enqueued for ${due.planDate}: ${due.jobs.join(' → ')}`
          : `Nothing due yet today (${due.planDate}): the schedule will plan it.`,
      );
    });

  withConnection(
    program
      .command('migrate-zones')
      .description('One-off (admin): move tenants stored under alias zone names ("US/Eastern") to the canonical name.'),
  ).action(async (o: ConnectionOptions) => {
    const { moved } = await apiCall<ZonesMoved>(connection(o, undefined, true), 'POST', '/zones/canonicalize');
    if (moved.length === 0) print('Every tenant is already in a canonical zone.');
    for (const m of moved) print(`${m.from} → ${m.to}: ${m.tenants} tenant(s)`);
  });

  withConnection(program.command('cache-stats').description("A tenant's forecast cache statistics."))
    .requiredOption('--tenant <id>', 'tenant id', idArg)
    .option('--json', 'as JSON', false)
    .action(async (o: ConnectionOptions & { tenant: string; json: boolean }) => {
      const stats = await apiCall<CacheStats>(
        connection(o, o.tenant),
        'GET',
        `/tenants/${o.tenant}/forecast-cache/stats`,
      );
      if (o.json) return print(stats);
      const rate = stats.hitRate === null ? 'no lookups yet' : `${(100 * stats.hitRate).toFixed(1)} % hit rate`;
      print(
        `${o.tenant}: ${stats.entries} cached forecasts · ${stats.hits} hits / ${stats.misses} misses (${rate}) · ${stats.failures} cache failures`,
      );
    });

  addPlanCommands(program, withConnection, connection);
  addOnboardingCommands(program, withConnection, connection);
  addWebhookCommands(program, withConnection, connection);
}
