// `planner backtest-forecast`: how well the forecaster would have done on your own sales history.
import { readFileSync, writeFileSync } from 'node:fs';
import { type BacktestReport, rollingOriginBacktest, scoreBacktest } from '../forecasting/backtest.ts';
import { driversFromCsv, historyFromCsv } from '../input/history-csv.ts';
import { addDays } from '../time/tenant-clock.ts';

export interface BacktestCommandOptions {
  csv: string;
  idCol: string;
  dateCol: string;
  valueCol: string;
  divideBy?: string;
  from?: string;
  to?: string;
  top?: number;
  holidays?: string;
  drivers?: string;
  driverCols?: string[];
  driverDateCol?: string;
  driversKnownAhead?: string[];
  json?: string;
}

export function backtestForecastCommand(
  options: BacktestCommandOptions,
  print: (line: string) => void,
): BacktestReport {
  const { history, totals, lastDate, skippedLines } = historyFromCsv(readFileSync(options.csv, 'utf8'), {
    id: options.idCol,
    date: options.dateCol,
    value: options.valueCol,
    ...(options.divideBy ? { divideBy: options.divideBy } : {}),
  });
  if (skippedLines.length > 0) {
    print(
      `Left out ${skippedLines.length} row(s) whose ${options.divideBy} is zero or missing (lines ${skippedLines.slice(0, 5).join(', ')}${skippedLines.length > 5 ? ', …' : ''}).`,
    );
  }
  const to = options.to ?? lastDate;
  const from = options.from ?? addDays(to, -89);
  const productIds = [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, options.top ?? totals.size)
    .map(([id]) => id);
  const holidays = options.holidays
    ? new Set(
        readFileSync(options.holidays, 'utf8')
          .split(/[\s,"[\]]+/)
          .filter((d) => /^\d{4}-\d{2}-\d{2}$/.test(d)),
      )
    : undefined;
  const drivers = options.drivers
    ? driversFromCsv(
        readFileSync(options.drivers, 'utf8'),
        options.driverDateCol ?? options.dateCol,
        options.driverCols ?? [],
      )
    : undefined;
  const run = (withDrivers: boolean) => {
    print(
      `Backtesting ${productIds.length} products${withDrivers ? ` with the drivers ${drivers!.columns.join(', ')}` : ''}, 1 to 7 days ahead from every day from ${from} to ${to} (the model refitted every 7 days, as the weekly job does)…`,
    );
    const points = rollingOriginBacktest({
      history,
      productIds,
      from,
      to,
      options: { ...(holidays ? { holidays } : {}), ...(withDrivers ? { drivers: drivers! } : {}) },
      driversKnownAhead: options.driversKnownAhead ?? [],
      onProgress: (done, total) => {
        if (done % 7 === 0 || done === total) print(`  ${done}/${total} days`);
      },
    });
    return scoreBacktest(history, points, from, to);
  };
  const report = run(false);
  const e = report.engine;
  const b = report.seasonalNaive;
  print('');
  print('                 WAPE    MASE    bias   pinball p10 / p50 / p90   p10–p90 coverage');
  print(
    `engine          ${e.wape.toFixed(3)}   ${e.mase.toFixed(3)}  ${e.bias >= 0 ? '+' : ''}${e.bias.toFixed(3)}   ${e.pinball.p10.toFixed(2)} / ${e.pinball.p50.toFixed(2)} / ${e.pinball.p90.toFixed(2)}            ${e.coverage.toFixed(3)}`,
  );
  print(`seasonal naive  ${b.wape.toFixed(3)}   ${b.mase.toFixed(3)}  ${b.bias >= 0 ? '+' : ''}${b.bias.toFixed(3)}`);
  print(
    `models chosen: ${Object.entries(report.methods)
      .map(([m, n]) => `${m} ${n}`)
      .join(', ')}`,
  );
  print('');
  print('days ahead   WAPE    p10–p90 coverage');
  for (const h of report.horizons)
    print(`${String(h.horizon).padStart(10)}   ${h.wape.toFixed(3)}   ${h.coverage.toFixed(3)}`);
  if (drivers) {
    const withDrivers = run(true);
    const ratio = withDrivers.engine.wape / e.wape;
    report.withDrivers = { columns: drivers.columns, engine: withDrivers.engine, horizons: withDrivers.horizons };
    print('');
    print(
      `with the drivers: WAPE ${withDrivers.engine.wape.toFixed(3)} (without: ${e.wape.toFixed(3)}; ${ratio < 1 ? `${((1 - ratio) * 100).toFixed(1)} % lower` : `${((ratio - 1) * 100).toFixed(1)} % higher`}), p10–p90 coverage ${withDrivers.engine.coverage.toFixed(3)}`,
    );
  }
  if (options.json) {
    writeFileSync(options.json, `${JSON.stringify(report, null, 2)}\n`);
    print(`wrote ${options.json}`);
  }
  return report;
}
