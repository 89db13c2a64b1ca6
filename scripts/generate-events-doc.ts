// Writes docs/events.md from the event catalogue.
import { writeFileSync } from 'node:fs';
import { renderEventsDoc } from '../lib/events/events-doc.ts';

writeFileSync(new URL('../docs/events.md', import.meta.url), renderEventsDoc());
console.log('wrote docs/events.md');
