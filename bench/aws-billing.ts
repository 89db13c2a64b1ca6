// DynamoDB's billing rules as AWS publishes them (on-demand, standard table class), applied to item
// sizes rather than taken from DynamoDB Local's own count (which, for one, bills a transaction of items of
// different sizes by its largest item). Sources: "Item sizes and formats", "Read/write capacity mode" and
// "Managing complex workflows with DynamoDB transactions" in the DynamoDB developer guide.

/** The size in bytes of one attribute value, by the published rules. */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'string') return Buffer.byteLength(value, 'utf8');
  if (typeof value === 'number' || typeof value === 'bigint') {
    // Up to 38 significant digits; about one byte per two significant digits, plus one.
    const digits = String(value)
      .replace(/^-/, '')
      .replace(/e.*$/i, '')
      .replace('.', '')
      .replace(/^0+/, '')
      .replace(/0+$/, '');
    return Math.ceil(Math.max(digits.length, 1) / 2) + 1;
  }
  if (value instanceof Uint8Array) return value.byteLength;
  if (value instanceof Set) return [...value].reduce((t: number, v) => t + valueSize(v), 0);
  // Lists and maps: 3 bytes, plus each element and 1 byte per element (a map's keys count as names).
  if (Array.isArray(value)) return 3 + value.reduce((t: number, v) => t + valueSize(v) + 1, 0);
  if (typeof value === 'object')
    return (
      3 +
      Object.entries(value as Record<string, unknown>)
        .filter(([, v]) => v !== undefined)
        .reduce((t, [k, v]) => t + Buffer.byteLength(k, 'utf8') + valueSize(v) + 1, 0)
    );
  throw new Error(`No DynamoDB size rule for a value of type ${typeof value}`);
}

/** An item's size: the names of its attributes and their values. */
export function itemSize(item: Record<string, unknown> | undefined): number {
  if (!item) return 0;
  return Object.entries(item)
    .filter(([, v]) => v !== undefined)
    .reduce((t, [k, v]) => t + Buffer.byteLength(k, 'utf8') + valueSize(v), 0);
}

const KB = 1024;

/**
 * Write request units of writing one item: 1 per KB of the larger of the item before and after
 * (PutItem, UpdateItem, DeleteItem; a failed condition still bills); at least 1.
 */
export function writeUnits(before: number, after: number): number {
  return Math.max(1, Math.ceil(Math.max(before, after) / KB));
}

/** A transaction bills two units per unit of each item it writes (prepare and commit), item by item. */
export function transactWriteUnits(items: readonly { before: number; after: number }[]): number {
  return items.reduce((t, i) => t + 2 * writeUnits(i.before, i.after), 0);
}

/**
 * Read request units: 1 per 4 KB strongly consistent, half that eventually consistent; a missing item
 * or an empty query still bills the minimum.
 */
export function readUnits(bytes: number, consistent: boolean): number {
  return Math.max(1, Math.ceil(bytes / (4 * KB))) * (consistent ? 1 : 0.5);
}

/** GetItem and BatchGetItem bill each item by itself; a Query bills the sum of the items it read once. */
export function batchReadUnits(sizes: readonly number[], consistent: boolean): number {
  return sizes.reduce((t, s) => t + readUnits(s, consistent), 0);
}
