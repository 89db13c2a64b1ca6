// Writes lib/time/tz-names.json from the tz database's compiled source (Debian's tzdata package:
// /usr/share/zoneinfo/tzdata.zi): every zone name, and every link with the zone it names. The product
// resolves a tenant's zone against this table (lib/time/zone-names.ts); refresh it when tzdata changes.
import { readFileSync, writeFileSync } from 'node:fs';

const source = process.argv[2] ?? '/usr/share/zoneinfo/tzdata.zi';
const text = readFileSync(source, 'utf8');
const version = /^# version (\S+)/m.exec(text)?.[1] ?? 'unknown';
const zones = [];
const links = {};
for (const line of text.split('\n')) {
  const fields = line.split(/\s+/);
  if (fields[0] === 'Z') zones.push(fields[1]);
  if (fields[0] === 'L') links[fields[2]] = fields[1];
}
// Links may name links: follow each to its zone.
const resolve = (name, seen = new Set()) =>
  links[name] && !seen.has(name) ? resolve(links[name], seen.add(name)) : name;
const resolved = Object.fromEntries(
  Object.keys(links)
    .sort()
    .map((alias) => [alias, resolve(alias)]),
);
const usable = zones.filter((zone) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
});
const skipped = zones.filter((zone) => !usable.includes(zone));
const json = {
  source: `tz database ${version} (tzdata.zi)`,
  zones: usable.sort(),
  links: Object.fromEntries(Object.entries(resolved).filter(([, zone]) => usable.includes(zone))),
};
writeFileSync(new URL('../lib/time/tz-names.json', import.meta.url), `${JSON.stringify(json, null, 1)}\n`);
console.log(
  `tz ${version}: ${json.zones.length} zones, ${Object.keys(json.links).length} links${skipped.length ? `; unknown to this Node's ICU, left out: ${skipped.join(', ')}` : ''}`,
);
