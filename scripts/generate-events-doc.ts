// Writes docs/events.md and the published event schemas (docs/schemas/events/<major>/<type>.json) from
// the event catalogue. A schema that would break its subscribers is not written: bump SCHEMA_VERSION's
// major version instead (a new folder), and keep the old one for subscribers still on it.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { renderEventsDoc } from '../lib/events/events-doc.ts';
import { breakingChanges, publishedSchemas, SCHEMA_MAJOR } from '../lib/events/schema-compat.ts';

writeFileSync(new URL('../docs/events.md', import.meta.url), renderEventsDoc());
console.log('wrote docs/events.md');
const folder = new URL(`../docs/schemas/events/${SCHEMA_MAJOR}/`, import.meta.url);
mkdirSync(folder, { recursive: true });
for (const [name, schema] of Object.entries(publishedSchemas())) {
  const file = new URL(name, folder);
  if (existsSync(file)) {
    const breaking = breakingChanges(JSON.parse(readFileSync(file, 'utf8')), schema);
    if (breaking.length) {
      console.error(
        `${name} would break its subscribers (${breaking.join('; ')}): bump SCHEMA_VERSION's major version.`,
      );
      process.exitCode = 1;
      continue;
    }
  }
  writeFileSync(file, `${JSON.stringify(schema, null, 2)}\n`);
}
console.log(`wrote docs/schemas/events/${SCHEMA_MAJOR}/`);
