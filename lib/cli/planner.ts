// `planner`: the operators' command line. Its first command runs a whole planning day locally.
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_TENANT_BUDGET_MS } from '../app/time-budget.ts';
import { localRun } from '../local/local-run.ts';
import { demoTenantDefinitions } from '../local/demo-bakeries.ts';

function positiveInteger(value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed <= 0) throw new InvalidArgumentError('expected a positive whole number');
  return parsed;
}

function isoDate(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(value))) throw new InvalidArgumentError('expected a date as YYYY-MM-DD');
  return value;
}

const program = new Command()
  .name('planner')
  .description('Automated daily production and procurement planning for bakeries.')
  .showHelpAfterError();

program
  .command('local-run')
  .description('Run one planning day locally: DynamoDB Local, demo bakeries in several timezones, the real handlers.')
  .option('-t, --tenants <n>', `how many demo bakeries (at most ${demoTenantDefinitions().tenants.length})`, positiveInteger, demoTenantDefinitions().tenants.length)
  .option('-d, --date <YYYY-MM-DD>', 'the local plan date to simulate in every zone', isoDate, new Date().toISOString().slice(0, 10))
  .option('--test-mode', 'fire every job every 30 minutes instead of at its daily local time', false)
  .option('--budget-ms <ms>', 'time budget per tenant job', positiveInteger, DEFAULT_TENANT_BUDGET_MS)
  .option('-o, --output <dir>', 'where logs and EMF metrics are written', '.local')
  .action(async (options: { tenants: number; date: string; testMode: boolean; budgetMs: number; output: string }) => {
    process.exitCode = await localRun({
      tenants: options.tenants,
      date: options.date,
      testMode: options.testMode,
      tenantBudgetMs: options.budgetMs,
      outputDir: options.output,
      print: (line) => console.log(line),
    });
  });

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`planner: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
