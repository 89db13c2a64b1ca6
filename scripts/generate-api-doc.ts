// Writes docs/api.md and docs/openapi.json from the route table.
import { writeFileSync } from 'node:fs';
import { renderApiDoc } from '../lib/api/api-doc.ts';
import { openApiDocument } from '../lib/api/openapi.ts';
import { apiRoutes } from '../lib/api/routes.ts';
import type { PlannerPorts } from '../lib/ports.ts';

writeFileSync(new URL('../docs/api.md', import.meta.url), renderApiDoc());
writeFileSync(
  new URL('../docs/openapi.json', import.meta.url),
  `${JSON.stringify(openApiDocument(apiRoutes(() => ({}) as PlannerPorts)), null, 2)}\n`,
);
console.log('wrote docs/api.md and docs/openapi.json');
