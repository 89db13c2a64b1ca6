// `npm run bench:faults`: the fault-injection suite (test/faults/scenarios.ts) at fleet scale — each
// case runs a planning day for N bakeries (default 1,000; FAULT_TENANTS=…) on DynamoDB Local with the
// fault injected at the ports, recovers, and checks that nothing was lost or left stuck. Prints a table
// and writes bench/results/faults.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { startDynamoDbLocal } from '../lib/local/dynamodb-local.ts';
import { createLocalStack } from '../lib/local/local-ports.ts';
import { type CaseFigures, FAULT_CASES, runCase, seedWorld } from '../test/faults/scenarios.ts';

const tenants = Number(process.env.FAULT_TENANTS ?? 1000);
const only = process.env.FAULT_CASE;
const dynamo = await startDynamoDbLocal();
const results: { case: string; seconds: number; ok: boolean; error?: string; figures?: CaseFigures }[] = [];
try {
  for (const [index, fault] of FAULT_CASES.entries()) {
    if (only && !fault.name.includes(only)) continue;
    const started = Date.now();
    process.stdout.write(`▶ ${fault.name}: seeding ${tenants} bakeries… `);
    const stack = await createLocalStack({ endpoint: dynamo.endpoint, tableName: `bench-faults-${index}` });
    const world = await seedWorld(stack, tenants, `fleet${index}`);
    process.stdout.write('running the day… ');
    try {
      const figures = await runCase(fault, world);
      const seconds = (Date.now() - started) / 1000;
      results.push({ case: fault.name, seconds, ok: true, figures });
      console.log(
        `ok in ${seconds.toFixed(0)} s — ${figures.plans} plans, ${figures.eventsDelivered}/${figures.eventsExpected} plan events delivered, ${figures.duplicateDeliveries} repeated deliveries, ${figures.pendingAfterRecovery} pending, DLQ ${figures.deadLetterQueue}`,
      );
    } catch (error) {
      const seconds = (Date.now() - started) / 1000;
      results.push({ case: fault.name, seconds, ok: false, error: (error as Error).message });
      console.log(`FAILED in ${seconds.toFixed(0)} s: ${(error as Error).message}`);
    }
  }
} finally {
  await dynamo.stop();
}
console.log(
  '\n| case | tenants | plans | plan events delivered | repeated deliveries | pending after recovery | DLQ | seconds | result |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of results) {
  const f = r.figures;
  console.log(
    `| ${r.case} | ${tenants} | ${f?.plans ?? '—'} | ${f ? `${f.eventsDelivered}/${f.eventsExpected}` : '—'} | ${f?.duplicateDeliveries ?? '—'} | ${f?.pendingAfterRecovery ?? '—'} | ${f?.deadLetterQueue ?? '—'} | ${r.seconds.toFixed(0)} | ${r.ok ? 'ok' : `FAILED: ${r.error}`} |`,
  );
}
mkdirSync('bench/results', { recursive: true });
writeFileSync(
  'bench/results/faults.json',
  `${JSON.stringify({ measuredAt: new Date().toISOString(), tenants, results }, null, 2)}\n`,
);
process.exitCode = results.every((r) => r.ok) ? 0 : 1;
