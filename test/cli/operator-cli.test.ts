// The `planner` CLI as an operator runs it: a bad option stops with a clear message and a non-zero exit
// before anything is sent; an unknown tenant is an error, not an empty answer; an explicit flag wins
// over the environment.
import { execFile } from 'node:child_process';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLocalServer } from '../../lib/local/local-server.ts';
import { seedBakery, tenant, testStack } from '../support/local-stack.ts';

const KEY = 'cli-test-key-0123456789';
let server: Server;
let api: string;

function planner(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'lib/cli/planner.ts', ...args], { env: { ...process.env, PLANNER_LOCAL_KEY: KEY, PLANNER_TOKEN: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }));
  });
}

beforeAll(async () => {
  const stack = await testStack();
  await seedBakery(stack, tenant('a', 'Europe/Madrid'), '2026-11-28');
  server = createLocalServer(stack, KEY);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('bad options stop the command', () => {
  it.each([
    [['token', '--tenant', 'a', '--hours', '-5'], /hours above 0/],
    [['create-tenant', '--tenant', 'my bakery', '--name', 'Mine'], /"my bakery" is not an id/],
    [['show', '--tenant', 'a', '--date', '2026-13-45'], /real calendar date/],
    [['plans', '--tenant', 'a', '--status', 'bogus'], /expected one of draft, pending_approval/],
    [['run', '--job', 'baking'], /expected one of production, cleanup, procurement/],
    [['local-run', '--date', '2026-02-30'], /real calendar date/],
    [['local-run', '--tenants', '12'], /there are 8 demo bakeries/],
  ])('planner %j', async (args, message) => {
    const result = await planner(args);
    expect(result.code).not.toBe(0);
    expect(result.stderr).toMatch(message);
  });
});

describe('against the API', () => {
  it.each([['plans'], ['cache-stats'], ['plans', '--status', 'approved']])('planner %j for an unknown tenant fails and says so', async (...args) => {
    const result = await planner([...args, '--tenant', 'ghost', '--api', api, '--as-admin']);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('404: Tenant "ghost" does not exist.');
  });

  it('lets --as-tenant win over PLANNER_TOKEN, and uses PLANNER_TOKEN without it', async () => {
    const withFlag = await planner(['plans', '--tenant', 'a', '--api', api, '--as-tenant', 'a'], { PLANNER_TOKEN: 'stale.token.here' });
    expect(withFlag).toMatchObject({ code: 0, stdout: 'No procurement plans for tenant a.\n' });
    const withEnv = await planner(['plans', '--tenant', 'a', '--api', api], { PLANNER_TOKEN: 'stale.token.here' });
    expect(withEnv.code).toBe(1);
    expect(withEnv.stderr).toContain('401');
  });
});
