// The functions' middlewares: metrics recorded by a use case are flushed once per invocation, when it
// succeeds and when it fails, and a failed invocation is logged with its request id before it is rethrown.
import type { Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { createFanOutHandler } from '../../functions/fan-out/handler.ts';
import type { Logger } from '../../lib/log.ts';
import type { PlannerPorts } from '../../lib/ports.ts';

const context = { awsRequestId: 'req-1', functionName: 'fan-out' } as Context;
const firing = { job: 'production', timezone: 'Europe/Madrid', scheduledTime: '2026-11-28T04:30:00Z' };

function fakePorts(tenantsInZonePage: () => Promise<{ items: never[] }>) {
  const flushed: number[] = [];
  const pending: string[] = [];
  const errors: Record<string, unknown>[] = [];
  const log: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: (_message, fields) => errors.push(fields ?? {}),
    child: () => log,
  };
  const ports = {
    tenants: { tenantsInZonePage, recordZoneRun: async () => undefined },
    queue: { enqueue: async () => undefined },
    fanOut: { shardSize: 10_000, continueFanOut: async () => undefined },
    metrics: {
      record: (name: string) => pending.push(name),
      flush: async () => {
        flushed.push(pending.splice(0).length);
      },
    },
    log,
    now: () => new Date(firing.scheduledTime),
  } as unknown as PlannerPorts;
  return { ports, flushed, errors };
}

describe('the functions’ middlewares', () => {
  it('flush what the use case recorded once, after a successful invocation', async () => {
    const { ports, flushed, errors } = fakePorts(async () => ({ items: [] }));
    await createFanOutHandler(() => ports)(firing, context);
    expect(flushed).toEqual([expect.any(Number)]);
    expect(flushed[0]).toBeGreaterThan(0);
    expect(errors).toEqual([]);
  });

  it('flush and log a failed invocation with its request id, and rethrow it for the runtime', async () => {
    const { ports, flushed, errors } = fakePorts(async () => {
      throw new Error('DynamoDB is down');
    });
    await expect(createFanOutHandler(() => ports)(firing, context)).rejects.toThrow('DynamoDB is down');
    expect(flushed).toHaveLength(1);
    expect(flushed[0]).toBeGreaterThan(0); // SchedulerErrors, recorded by the use case
    expect(errors.at(-1)).toMatchObject({ awsRequestId: 'req-1', functionName: 'fan-out', error: expect.any(Error) });
  });
});
