// Zone names as the tz database defines them: every zone and every link (old or alternative name),
// looked up without regard to case, resolved to one canonical zone name. Schedules, alarms, metrics and
// the zone index key on the canonical name, so "US/Eastern", "america/new_york" and "America/New_York"
// are one zone. The table comes from the tz database (scripts/generate-tz-names.mjs).
import names from './tz-names.json' with { type: 'json' };

const byLowerCase = new Map<string, string>();
for (const zone of names.zones) byLowerCase.set(zone.toLowerCase(), zone);
for (const [alias, zone] of Object.entries(names.links as Record<string, string>))
  byLowerCase.set(alias.toLowerCase(), zone);

/** The canonical zone for a zone or link name in any case, or null for a name the tz database does not have. */
export function canonicalZone(name: unknown): string | null {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return null;
  return byLowerCase.get(name.toLowerCase()) ?? null;
}

/** True when `name` is exactly a canonical zone name (as stored). */
export function isCanonicalZone(name: unknown): boolean {
  return typeof name === 'string' && canonicalZone(name) === name;
}

/** Every name accepted on input: the canonical zones and the links. */
export function knownZoneNames(): string[] {
  return [...names.zones, ...Object.keys(names.links)];
}
