// `planner`: the operators' command line. Its first command runs a whole planning day locally.
import { Command, InvalidArgumentError } from 'commander';
import { DEFAULT_TENANT_BUDGET_MS } from '../app/time-budget.ts';
import { demoTenantDefinitions } from '../local/demo-bakeries.ts';
import { localRun } from '../local/local-run.ts';
import { serve } from '../local/serve.ts';
import { calendarDateArg as isoDate, positiveInteger } from './arguments.ts';
import { type BacktestCommandOptions, backtestForecastCommand } from './backtest-forecast.ts';
import { addOperatorCommands } from './operator-commands.ts';

const DEMO_BAKERIES = demoTenantDefinitions().tenants.length;

function demoBakeryCount(value: string, allowZero = false): number {
  const count = allowZero && value === '0' ? 0 : positiveInteger(value);
  if (count > DEMO_BAKERIES)
    throw new InvalidArgumentError(
      `there are ${DEMO_BAKERIES} demo bakeries; give ${allowZero ? '0' : '1'} to ${DEMO_BAKERIES}.`,
    );
  return count;
}

const program = new Command()
  .name('planner')
  .description('Automated daily production and procurement planning for bakeries.')
  .showHelpAfterError();

program
  .command('local-run')
  .description('Run one planning day locally: DynamoDB Local, demo bakeries in several timezones, the real handlers.')
  .option(
    '-t, --tenants <n>',
    `how many demo bakeries (1 to ${DEMO_BAKERIES})`,
    (v: string) => demoBakeryCount(v),
    DEMO_BAKERIES,
  )
  .option(
    '-d, --date <YYYY-MM-DD>',
    'the local plan date to simulate in every zone',
    isoDate,
    new Date().toISOString().slice(0, 10),
  )
  .option(
    '--test-mode',
    'compress the day into 30-minute cycles: production at :00/:30, cleanup :05/:35, procurement :10/:40',
    false,
  )
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

program
  .command('backtest-forecast')
  .description('Backtest the forecaster on your own sales CSV: rolling origin, 1 to 7 days ahead, refitted weekly.')
  .requiredOption('--csv <file>', 'sales CSV, one row per product and day')
  .requiredOption('--id-col <name>', 'column naming the product')
  .requiredOption('--date-col <name>', 'column with the date (YYYY-MM-DD)')
  .requiredOption('--value-col <name>', 'column with units sold (or revenue, with --divide-by)')
  .option('--divide-by <name>', 'column to divide the value by (for example unit_price, to turn revenue into units)')
  .option('--from <YYYY-MM-DD>', 'first day forecast (default: 90 days before --to)', isoDate)
  .option('--to <YYYY-MM-DD>', 'last day forecast (default: the last date in the file)', isoDate)
  .option('--top <n>', 'only the n products with the most units', positiveInteger)
  .option('--holidays <file>', 'holidays and special days, a JSON list or lines of YYYY-MM-DD')
  .option('--drivers <file>', 'daily drivers CSV (one row per date): backtest again with them as features and compare')
  .option('--driver-cols <names>', 'comma-separated driver columns of --drivers', (v: string) =>
    v
      .split(',')
      .map((c) => c.trim())
      .filter(Boolean),
  )
  .option('--driver-date-col <name>', 'date column of --drivers (default: --date-col)')
  .option(
    '--drivers-known-ahead <names>',
    'driver columns known before the day (planned promotions, market days); the others are hidden after each origin, as production has only forecasts of them',
    (v: string) =>
      v
        .split(',')
        .map((c) => c.trim())
        .filter(Boolean),
  )
  .option('--json <file>', 'write the scores (and per-product detail) as JSON')
  .action((options: BacktestCommandOptions) => {
    backtestForecastCommand(options, (line) => console.log(line));
  });

program
  .command('serve')
  .description(
    'Serve the HTTP API locally on DynamoDB Local, with demo bakeries planned for today; tokens from "planner token".',
  )
  .option('-p, --port <port>', 'port', positiveInteger, 8787)
  .option(
    '-t, --tenants <n>',
    `demo bakeries to seed (0 to ${DEMO_BAKERIES})`,
    (v: string) => demoBakeryCount(v, true),
    DEMO_BAKERIES,
  )
  .action(async (options: { port: number; tenants: number }) => {
    await serve({ ...options, print: (line) => console.log(line) });
  });

addOperatorCommands(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  console.error(`planner: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
