// Property-based fuzzing of every API route against DynamoDB Local: generated bad bodies, path
// parameters, query parameters, CSV files and callers. For every request: the status is one of the
// documented ones (never a 5xx), a refusal is JSON naming what is wrong (and, for a 400, the field)
// with no stack trace or internal path, and a refused request leaves every item of the table as it was.
import { mkdirSync, writeFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { PATH_PARAMS } from '../../lib/api/path-params.ts';
import { apiRoutes } from '../../lib/api/routes.ts';
import type { PlannerPorts } from '../../lib/ports.ts';
import { adminClaims, type Claims, tenantClaims } from '../support/api.ts';
import { PLAN_DATE, type PlannedApi, plannedApi, seedWebhookEndpoint } from '../support/planned-api.ts';
import { tableSnapshot } from '../support/table-snapshot.ts';
import { VALID_BODIES } from '../support/valid-requests.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 40);
const FUZZ_TIMEOUT_MS = 60_000 + RUNS * 2_000;
const DOCUMENTED = new Set([200, 201, 202, 400, 401, 403, 404, 405, 409, 413, 414]);
const LEAKS = /\bat \S+ \(|\.ts:\d+|\/work\/|node_modules|Error:|ZodError|TypeError|stack/;

let api: PlannedApi;
const tally = {
  requests: 0,
  rejected: 0,
  byStatus: {} as Record<string, number>,
  serverErrors: 0,
  partialWrites: 0,
  acceptedInvalid: 0,
};

const ENDPOINT_ID = 'ep-0123456789abcdef';

beforeAll(async () => {
  api = await plannedApi();
  await seedWebhookEndpoint(api.stack, ENDPOINT_ID);
});

afterAll(() => {
  mkdirSync('.cache', { recursive: true });
  writeFileSync('.cache/api-fuzz-summary.json', `${JSON.stringify({ runsPerProperty: RUNS, ...tally }, null, 2)}\n`);
});

interface Request {
  method: string;
  path: string;
  claims?: Claims;
  body?: unknown;
  query?: Record<string, string>;
  contentType?: string;
}

/** Sends one request and checks the invariants; returns the response. `invalid`: the request must be refused. */
async function check(request: Request, invalid: boolean) {
  const before = await tableSnapshot(api.stack);
  const { status, body, raw } = await api.call(request.method, request.path, request);
  tally.requests += 1;
  tally.byStatus[status] = (tally.byStatus[status] ?? 0) + 1;
  if (status >= 500) tally.serverErrors += 1;
  const what = `${request.method} ${request.path.slice(0, 120)} → ${status} ${raw.slice(0, 300)}`;
  expect(DOCUMENTED.has(status), what).toBe(true);
  if (invalid && status < 400) tally.acceptedInvalid += 1;
  if (invalid) expect(status, what).toBeGreaterThanOrEqual(400);
  if (status >= 400) {
    tally.rejected += 1;
    expect(typeof body.error, what).toBe('string');
    expect(raw, what).not.toMatch(LEAKS);
    if (status === 400) expect(typeof body.field, what).toBe('string');
    const after = await tableSnapshot(api.stack);
    if (after !== before) tally.partialWrites += 1;
    expect(after === before, `${what} changed the table`).toBe(true);
  }
  return { status, body };
}

// ── What a hostile or careless client sends ───────────────────────────────────────────────────────

const hostileStrings = [
  '..',
  '.',
  '%E0%A4%A',
  '%2F',
  '%2e%2e',
  'a|b',
  'a#b',
  '__proto__',
  'constructor',
  '%F0%9F%A5%96',
  '=cmd|calc',
  't'.repeat(3000),
  '',
  '2026-02-30',
  '9999-99-99',
  '0',
  '-1',
  '1e3',
  'ghost',
  '%00',
  '%20',
  'a%2Fb',
  '%',
  '%%',
  'x'.repeat(70),
];
const paramValue = fc.oneof(
  fc.constantFrom(...hostileStrings),
  fc.string({ maxLength: 80 }).map(encodeURIComponent),
  fc.string({ unit: 'binary', maxLength: 20 }).map(encodeURIComponent),
);
const caller = fc.constantFrom<Claims>(
  tenantClaims('a'),
  tenantClaims('b'),
  adminClaims,
  undefined,
  { sub: 5 } as unknown as Claims,
  { 'custom:tenant_id': 'a' },
);

/** Values no field of the grammar accepts in place of a leaf of this type. */
function hostileFor(value: unknown): fc.Arbitrary<unknown> {
  const wrongType = fc.constantFrom<unknown>(null, {}, [], true);
  if (typeof value === 'number')
    return fc.oneof(wrongType, fc.constantFrom(-1, -0.5, 1e300, 2 ** 53, 1e10, '5', 'NaN'));
  if (typeof value === 'string')
    return fc.oneof(wrongType, fc.constantFrom(5, 'x'.repeat(1001), 'a\u0000b', 'bad\u0007', '\u0000'));
  if (typeof value === 'boolean') return fc.constantFrom('true', 0, 1, null, 'yes');
  if (Array.isArray(value)) return fc.constantFrom<unknown>('x', 5, {}, null, [...value, {}], [...value, 'x']);
  return fc.constantFrom<unknown>('x', 5, [], null);
}

/** Every path to a leaf, array or object inside a JSON value. */
function paths(value: unknown, at: (string | number)[] = []): (string | number)[][] {
  if (value === null || typeof value !== 'object') return [at];
  const children = Array.isArray(value)
    ? value.map((v, i) => paths(v, [...at, i]))
    : Object.entries(value).map(([k, v]) => paths(v, [...at, k]));
  return [...(at.length ? [at] : []), ...children.flat()];
}

function replaceAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = replacement;
  return copy;
}

// ── Every route, with a valid request to start from ────────────────────────────────────────────────

const PLAN = `/tenants/a/procurement-plans/${PLAN_DATE}/versions/1`;
const PARAMS: Record<string, string> = {
  tenantId: 'a',
  planDate: PLAN_DATE,
  version: '1',
  productId: 'cookie',
  endpointId: ENDPOINT_ID,
};
const routes = apiRoutes(() => ({}) as PlannerPorts).filter((r) => r.access !== 'public');
const key = (r: { method: string; path: string }) => `${r.method} ${r.path}`;
const fill = (path: string, params: Record<string, string>) =>
  path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
const bodyRoutes = routes.filter((r) => r.body || r.imports?.schema);
const claimsFor = (r: (typeof routes)[number]) => (r.access === 'admin' ? adminClaims : tenantClaims('a'));

describe('every route has a valid request to fuzz from', () => {
  it('covers each route that takes a body', () => {
    expect(bodyRoutes.map(key).sort()).toEqual(Object.keys(VALID_BODIES).sort());
    expect(PLAN).toBe(fill('/tenants/{tenantId}/procurement-plans/{planDate}/versions/{version}', PARAMS));
  });
});

describe('generated requests against DynamoDB Local', () => {
  it.each(bodyRoutes.map((r) => [key(r), r] as const))(
    '%s: one hostile value anywhere in a valid body is refused and writes nothing',
    async (_, route) => {
      const valid = VALID_BODIES[key(route)]!;
      const mutation = fc
        .constantFrom(...paths(valid))
        .chain((path) => hostileFor(path.reduce<any>((node, k) => node[k], valid)).map((value) => ({ path, value })));
      await fc.assert(
        fc.asyncProperty(mutation, async ({ path, value }) => {
          const body = replaceAt(valid, path, value);
          await check({ method: route.method, path: fill(route.path, PARAMS), claims: claimsFor(route), body }, true);
        }),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it.each(bodyRoutes.map((r) => [key(r), r] as const))(
    '%s: arbitrary JSON the schema refuses is refused and writes nothing',
    async (_, route) => {
      const schema = (route.body ?? route.imports!.schema) as z.ZodType;
      await fc.assert(
        fc.asyncProperty(fc.jsonValue({ maxDepth: 3 }), async (body) => {
          await check(
            {
              method: route.method,
              path: fill(route.path, PARAMS),
              claims: claimsFor(route),
              body: JSON.stringify(body),
            },
            !schema.safeParse(body).success,
          );
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it.each(routes.filter((r) => r.path.includes('{')).map((r) => [key(r), r] as const))(
    '%s: hostile path parameters never reach storage',
    async (_, route) => {
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!);
      await fc.assert(
        fc.asyncProperty(fc.constantFrom(...names), paramValue, caller, async (name, value, claims) => {
          const request = {
            method: route.method,
            path: fill(route.path, { ...PARAMS, [name]: value }),
            claims,
            body: VALID_BODIES[key(route)] ?? {},
          };
          // An empty last segment is another route's path (`/tenants/` is `/tenants`): not necessarily invalid.
          await check(request, value !== '' && !PATH_PARAMS[name]!.safeParse(decodeSafely(value)).success);
        }),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it.each(routes.filter((r) => r.method === 'GET').map((r) => [key(r), r] as const))(
    '%s: hostile query parameters are refused or ignored',
    async (_, route) => {
      const query = fc.dictionary(
        fc.constantFrom('date', 'from', 'to', 'status', 'x', '__proto__'),
        fc.oneof(fc.constantFrom(...hostileStrings), fc.string({ maxLength: 30 })),
        { maxKeys: 3 },
      );
      await fc.assert(
        fc.asyncProperty(query, async (q) => {
          await check({ method: 'GET', path: fill(route.path, PARAMS), claims: claimsFor(route), query: q }, false);
        }),
        { numRuns: Math.ceil(RUNS / 2) },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a sales CSV with one bad row anywhere is refused naming that line, and writes nothing',
    async () => {
      const goodRow = fc.record({
        product: fc.constantFrom('cookie', 'baguette', 'new-bread'),
        day: fc.integer({ min: 1, max: 28 }),
        units: fc.integer({ min: 0, max: 500 }),
      });
      const badRow = fc.oneof(
        fc.record({
          product: fc.constantFrom(
            ...hostileStrings.filter(
              (s) => !/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(s) && !/[,"\n\r]/.test(s) && s.trim() === s && s !== '',
            ),
          ),
          date: fc.constant('2026-10-01'),
          units: fc.constant('1'),
          field: fc.constant('productId'),
        }),
        fc.record({
          product: fc.constant('cookie'),
          date: fc.constantFrom(
            '2026-02-30',
            '9999-99-99',
            '2026-13-01',
            '28/11/2026',
            '2026-11-28T00:00',
            '1999-12-31',
          ),
          units: fc.constant('1'),
          field: fc.constant('date'),
        }),
        fc.record({
          product: fc.constant('cookie'),
          date: fc.constant('2026-10-02'),
          units: fc.constantFrom('', '-3', '0x10', '1e3', 'NaN', '½', '12abc', '99999999999'),
          field: fc.constant('units'),
        }),
      );
      const file = fc.tuple(
        fc.uniqueArray(goodRow, { selector: (r) => `${r.product} ${r.day}`, maxLength: 30 }),
        badRow,
        fc.nat(),
      );
      await fc.assert(
        fc.asyncProperty(file, async ([good, bad, at]) => {
          const lines = good.map((r) => `${r.product},2026-10-${String(r.day).padStart(2, '0')},${r.units}`);
          const position = at % (lines.length + 1);
          lines.splice(position, 0, `${bad.product},${bad.date},${bad.units}`);
          const { body } = await check(
            {
              method: 'POST',
              path: '/tenants/a/sales',
              claims: tenantClaims('a'),
              contentType: 'text/csv',
              body: ['productId,date,units', ...lines].join('\n'),
            },
            true,
          );
          expect(body).toMatchObject({ line: position + 2, field: bad.field });
        }),
        { numRuns: RUNS * 2 },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a random text sent as a sales CSV is refused or imported, never a 5xx',
    async () => {
      await fc.assert(
        fc.asyncProperty(fc.string({ maxLength: 300 }), async (text) => {
          await check(
            {
              method: 'POST',
              path: '/tenants/b/sales',
              claims: tenantClaims('b'),
              contentType: 'text/csv',
              body: `productId,date,units\n${text}`,
            },
            false,
          );
        }),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it(
    'a random text sent as a drivers CSV is refused or imported, never a 5xx',
    async () => {
      const header = fc.constantFrom(
        'date,temperature',
        'date,temperature,promotion',
        'temperature,date',
        'date,__proto__',
        'date,constructor',
      );
      await fc.assert(
        fc.asyncProperty(header, fc.string({ maxLength: 300 }), async (head, text) => {
          await check(
            {
              method: 'POST',
              path: '/tenants/b/drivers',
              claims: tenantClaims('b'),
              contentType: 'text/csv',
              body: `${head}\n${text}`,
            },
            false,
          );
        }),
        { numRuns: RUNS },
      );
    },
    FUZZ_TIMEOUT_MS,
  );

  it('found no 5xx, no partial write and no invalid request accepted', () => {
    expect(tally.requests).toBeGreaterThan(0);
    expect({
      serverErrors: tally.serverErrors,
      partialWrites: tally.partialWrites,
      acceptedInvalid: tally.acceptedInvalid,
    }).toEqual({ serverErrors: 0, partialWrites: 0, acceptedInvalid: 0 });
  });
});

function decodeSafely(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return '%';
  }
}
