// The OpenAPI document: the written one is the generated one and the served one, a third-party linter
// (Redocly's recommended rules) finds nothing wrong, and every operation in it, driven over HTTP against
// the running local server, answers a status the document lists with a body its schema accepts.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openApiDocument } from '../../lib/api/openapi.ts';
import { apiRoutes } from '../../lib/api/routes.ts';
import { signLocalToken } from '../../lib/local/local-token.ts';
import type { PlannerPorts } from '../../lib/ports.ts';
import { type RunningServer, startLocalServer } from '../support/local-server.ts';
import { planMadridDay, seedWebhookEndpoint } from '../support/planned-api.ts';
import { VALID_BODIES } from '../support/valid-requests.ts';

type Json = Record<string, any>;
const KEY = 'openapi-contract-key-0123456789';
const written = JSON.parse(readFileSync(new URL('../../docs/openapi.json', import.meta.url), 'utf8')) as Json;

let running: RunningServer;
const ENDPOINT_ID = 'ep-00000000000000aa';

beforeAll(async () => {
  running = await startLocalServer(KEY);
  await planMadridDay(running.stack);
  await seedWebhookEndpoint(running.stack, ENDPOINT_ID);
});
afterAll(() => running.close());

describe('the OpenAPI document', () => {
  it('is the route table’s (run `npm run docs:api` after changing a route), and the one the API serves', async () => {
    expect(written).toEqual(openApiDocument(apiRoutes(() => ({}) as PlannerPorts)));
    const served = await fetch(`${running.base}/openapi.json`);
    expect(served.status).toBe(200);
    expect(await served.json()).toEqual(written);
    // Every route is in it, once.
    const operations = Object.entries(written.paths).flatMap(([path, ops]) =>
      Object.keys(ops as Json).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(operations.sort()).toEqual(
      apiRoutes(() => ({}) as PlannerPorts)
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    );
  });

  it("passes Redocly's recommended rules", async () => {
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: JSON.stringify(written), absoluteRef: 'openapi.json', config });
    const found = problems.map((p) => `${p.severity} ${p.ruleId} ${p.location[0]?.pointer}: ${p.message}`);
    // The review page and this document are static: no request of theirs can be a client error.
    const staticPages = ['#/paths/~1review/get/responses', '#/paths/~1openapi.json/get/responses'].map(
      (pointer) => `warn operation-4xx-response ${pointer}: Operation must have at least one \`4XX\` response.`,
    );
    expect(found.filter((f) => !staticPages.includes(f))).toEqual([]);
  });
});

describe('every operation of the document against the running local server', () => {
  const ajv = new Ajv2020({ strict: false, validateFormats: false, allErrors: true });
  ajv.addSchema({ $id: 'openapi.json', components: written.components }, 'openapi.json');
  const params: Record<string, string> = {
    tenantId: 'a',
    planDate: '2026-11-28',
    version: '1',
    productId: 'cookie',
    endpointId: ENDPOINT_ID,
  };
  // Reads first, then writes (a plan is modified before it is approved), deletions last: each operation
  // on the state the others leave.
  // One line of version 2 is approved alone, then the whole version (its status change), then its
  // purchase orders are sent.
  const rank = (method: string, path: string) =>
    path.endsWith('/line-approvals')
      ? 1.4
      : path.endsWith('/status')
        ? 1.5
        : path.endsWith('/purchase-orders/send')
          ? 1.6
          : ({ get: 0, post: 1, put: 1, delete: 2 }[method] ?? 1);
  const operations = Object.entries(written.paths as Json)
    .flatMap(([path, ops]) => Object.entries(ops as Json).map(([method, op]) => ({ path, method, op: op as Json })))
    .sort((a, b) => rank(a.method, a.path) - rank(b.method, b.path));

  it.each(operations.map((o) => [`${o.method.toUpperCase()} ${o.path}`, o] as const))(
    '%s answers a documented status with a body its schema accepts',
    async (_, { path, method, op }) => {
      const url = path.replace(/\{(\w+)\}/g, (_m: string, name: string) => {
        const parameter = (op.parameters as Json[]).find((p) => p.in === 'path' && p.name === name);
        expect(parameter, `${name} is documented`).toBeDefined();
        // The modification (before) made version 2 of the plan, the one to approve.
        return name === 'version' && /\/(status|line-approvals|purchase-orders\/send)$/.test(path)
          ? '2'
          : params[name]!;
      });
      const admin = path === '/tenants' || !path.startsWith('/tenants');
      const token = signLocalToken(
        admin ? { sub: 'ops', 'cognito:groups': ['admin'] } : { sub: 'm', 'custom:tenant_id': 'a' },
        KEY,
      );
      const content = op.requestBody?.content as Json | undefined;
      const json = content?.['application/json'];
      const csv = !json && content?.['text/csv'];
      const key = `${method.toUpperCase()} ${path}`;
      const body = json ? JSON.stringify(VALID_BODIES[key]) : csv ? 'date,temperature\n2026-11-29,7\n' : undefined;
      expect(!json || VALID_BODIES[key] !== undefined, `a valid body for ${key}`).toBe(true);
      const response = await fetch(`${running.base}${url}`, {
        method: method.toUpperCase(),
        headers: {
          ...(op.security?.length === 0 ? {} : { authorization: `Bearer ${token}` }),
          'content-type': json ? 'application/json' : 'text/csv',
        },
        ...(body !== undefined ? { body } : {}),
      });
      const status = String(response.status);
      const documented = op.responses[status] as Json | undefined;
      const text = await response.text();
      expect(
        documented,
        `${key} answered ${status}, which the document does not list: ${text.slice(0, 300)}`,
      ).toBeDefined();
      // A valid request is not refused (a 404 for the sign-in configuration is the documented "no sign-in").
      if (path !== '/review/config') expect(Number(status), text.slice(0, 300)).toBeLessThan(300);
      const media = response.headers.get('content-type')!.split(';')[0]!;
      const schema = documented!.content[media]?.schema as Json | undefined;
      expect(schema, `${key} ${status} answers ${media}, which the document does not list`).toBeDefined();
      if (media !== 'application/json') return;
      const validate = ajv.compile({ $ref: `openapi.json${schema!.$ref}` });
      const answer = JSON.parse(text);
      expect(validate(answer), `${key} ${status}: ${JSON.stringify(validate.errors?.slice(0, 3))}`).toBe(true);
    },
  );
});

describe('a client generated from the document', () => {
  it('type-checks strictly and works against the running local server', async () => {
    const run = promisify(execFile);
    const dir = new URL('../../.cache/openapi-client-test/', import.meta.url).pathname;
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    // openapi-typescript-codegen: a fetch client with a model per schema and a service per tag.
    await run('npm', ['run', '-s', 'openapi:client', '--', `${dir}client`]);
    writeFileSync(
      `${dir}usage.ts`,
      [
        "import { OpenAPI, PlansService, WebhooksService } from './client/index';",
        'OpenAPI.BASE = process.env.API!;',
        'OpenAPI.TOKEN = process.env.TOKEN!;',
        "const { plans } = await PlansService.getTenantsProcurementPlans('a', undefined, '2026-11-28', '2026-11-28');",
        "const created = await WebhooksService.postTenantsWebhooks('a', {",
        "  url: 'https://erp.example.com/from-a-generated-client',",
        "  eventTypes: ['procurement.plan.status_changed'],",
        '});',
        'const secret: string = created.secret;',
        "const enabled: boolean = (await WebhooksService.getTenantsWebhooksByEndpointId('a', created.endpointId)).enabled;",
        "console.log(JSON.stringify({ plans: plans.map((p) => p.planId).slice(0, 1), secret: secret.startsWith('whsec_'), enabled }));",
        '',
      ].join('\n'),
    );
    writeFileSync(
      `${dir}tsconfig.json`,
      JSON.stringify({
        compilerOptions: {
          target: 'es2022',
          module: 'esnext',
          moduleResolution: 'bundler',
          strict: true,
          noEmit: true,
          lib: ['es2022', 'dom'],
          types: ['node'],
          typeRoots: [new URL('../../node_modules/@types', import.meta.url).pathname],
        },
        include: ['./**/*.ts'],
      }),
    );
    await run('node_modules/.bin/tsc', ['-p', `${dir}tsconfig.json`]);
    const token = signLocalToken({ sub: 'm', 'custom:tenant_id': 'a' }, KEY);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', `${dir}usage.ts`], {
      env: { ...process.env, API: running.base, TOKEN: token },
    });
    expect(JSON.parse(stdout)).toEqual({ plans: ['proc-a-2026-11-28-v1'], secret: true, enabled: true });
  }, 120_000);
});
