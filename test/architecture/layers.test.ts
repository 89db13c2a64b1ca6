// The layering is a test: dependency-cruiser checks every import of lib/, functions/ and infra/ against
// the rules in .dependency-cruiser.cjs (no cycles, no arrow pointing up), and the rules are shown to
// catch a cycle, an adapter importing a use case and a domain module doing I/O.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const ruleSet = require('../../.dependency-cruiser.cjs') as { forbidden: unknown[]; options: Record<string, unknown> };

async function violations(
  roots: string[],
  baseDir = process.cwd(),
): Promise<{ rule: string; from: string; to: string }[]> {
  const { tsConfig: _tsConfig, ...options } = ruleSet.options;
  const result = await cruise(roots, {
    ...options,
    baseDir,
    validate: true,
    ruleSet: { forbidden: ruleSet.forbidden },
  } as never);
  const output = result.output as ICruiseResult;
  return output.summary.violations.map((v) => ({ rule: v.rule.name, from: v.from, to: v.to }));
}

describe('the layers', () => {
  it('hold in lib/, functions/ and infra/: no cycle, no import against the layering', async () => {
    const result = await cruise(['lib', 'functions', 'infra'], {
      ...ruleSet.options,
      validate: true,
      ruleSet: { forbidden: ruleSet.forbidden },
    } as never);
    const output = result.output as ICruiseResult;
    expect(output.summary.totalCruised).toBeGreaterThan(150);
    expect(output.summary.violations.map((v) => `${v.rule.name}: ${v.from} → ${v.to}`)).toEqual([]);
  });

  it('are enforced: a cycle, an adapter importing a use case and I/O in the domain are each refused', async () => {
    const found = await violations(['lib'], join(import.meta.dirname, 'fixture'));
    expect(found).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ rule: 'no-circular' }),
        { rule: 'adapters-never-import-app', from: 'lib/aws/adapter.ts', to: 'lib/app/use-case.ts' },
        { rule: 'app-below-edges-and-adapters', from: 'lib/app/use-case.ts', to: 'lib/aws/adapter.ts' },
        { rule: 'domain-is-pure', from: 'lib/forecasting/model.ts', to: 'fs' },
      ]),
    );
  });
});

describe('the configuration', () => {
  const sources = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? sources(path) : path.endsWith('.ts') ? [path] : [];
    });

  it('is read from the environment in lib/config.ts only (the local run sets the SDK its local credentials)', () => {
    const readers = [...sources('lib'), ...sources('functions')]
      .filter((file) => /process\.env(\.|\[)/.test(readFileSync(file, 'utf8').replace(/process\.env\.\w+ \?\?=/g, '')))
      .filter((file) => file !== join('lib', 'config.ts'));
    expect(readers).toEqual([]);
  });
});
