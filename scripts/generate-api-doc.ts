// Writes docs/api.md from the route table.
import { writeFileSync } from 'node:fs';
import { renderApiDoc } from '../lib/api/api-doc.ts';

writeFileSync(new URL('../docs/api.md', import.meta.url), renderApiDoc());
console.log('wrote docs/api.md');
