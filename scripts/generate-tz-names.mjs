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
// IANA 2024b made the POSIX-style and legacy names links to the zone of the same clock (its 'backward'
// file); a tzdata built with the older layout still lists them as zones. Each would otherwise get its
// own schedules and alarm for a clock identical to its target's.
const LINKED_IN_2024B = {
  CET: 'Europe/Brussels',
  CST6CDT: 'America/Chicago',
  EET: 'Europe/Athens',
  EST: 'America/Panama',
  EST5EDT: 'America/New_York',
  HST: 'Pacific/Honolulu',
  MET: 'Europe/Brussels',
  MST: 'America/Phoenix',
  MST7MDT: 'America/Denver',
  PST8PDT: 'America/Los_Angeles',
  WET: 'Europe/Lisbon',
};
for (const [name, target] of Object.entries(LINKED_IN_2024B)) {
  const at = zones.indexOf(name);
  if (at >= 0) zones.splice(at, 1);
  links[name] = target;
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
