// Documents stored as gzip-compressed JSON (plan bodies, forecast dates, catalog and stock snapshots):
// a third to a quarter of their size, and so of the units every write and read of them costs.
import { gunzipSync, gzipSync } from 'node:zlib';

export function packJson(value: unknown): Uint8Array {
  return gzipSync(JSON.stringify(value));
}

export function unpackJson<T>(packed: Uint8Array): T {
  return JSON.parse(gunzipSync(packed).toString('utf8')) as T;
}
