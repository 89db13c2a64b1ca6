import { writeFileSync } from 'node:fs';
import { openApiDocument } from '../lib/api/openapi.ts';
import { apiRoutes } from '../lib/api/routes.ts';
import type { PlannerPorts } from '../lib/ports.ts';

const doc = openApiDocument(apiRoutes(() => ({}) as PlannerPorts));
writeFileSync('/tmp/openapi.json', JSON.stringify(doc, null, 2));
const { createConfig, lintFromString } = await import('@redocly/openapi-core');
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({ source: JSON.stringify(doc), absoluteRef: 'openapi.json', config });
for (const p of problems) console.log(p.severity, p.ruleId, p.message, JSON.stringify(p.location?.[0]?.pointer));
console.log(problems.length, 'problems', Object.keys(doc.paths as object).length, 'paths');
