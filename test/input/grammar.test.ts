import fc from 'fast-check';
import { DateTime } from 'luxon';
import { describe, expect, it } from 'vitest';
import { CsvInputError } from '../../lib/input/csv-table.ts';
import {
  calendarDate,
  currencyCode,
  displayName,
  entityId,
  freeText,
  isCalendarDate,
  localeTag,
  money,
  quantity,
  userKeyedRecord,
} from '../../lib/input/grammar.ts';
import { salesRowsFromCsv } from '../../lib/input/sales-csv.ts';
import { formatMoney } from '../../lib/money.ts';

describe('ids', () => {
  it.each(['bread', 'flour-t65', 'A1', 'x.y_z-9', 'constructor', 'toString', 'prototype', 'a'.repeat(64)])(
    'accepts %s',
    (id) => {
      expect(entityId.safeParse(id).success).toBe(true);
    },
  );

  it.each([
    '',
    ' bread',
    'my bakery',
    'bread|x',
    'a#b',
    'a/b',
    '..',
    '.hidden',
    '__proto__',
    '_x',
    '=cmd|calc',
    'pan🥖',
    'a%2Fb',
    'a'.repeat(65),
  ])('refuses %j', (id) => {
    expect(entityId.safeParse(id).success).toBe(false);
  });

  it('never accepts a key separator or a path character, whatever the string', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 80 }), (value) => {
        if (entityId.safeParse(value).success) expect(value).toMatch(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('names and free text', () => {
  it.each([
    ['Panadería Roma', 'Panadería Roma'],
    ['  Boulangerie du Coin ', 'Boulangerie du Coin'],
    ['مخبز الحي', 'مخبز الحي'],
    ['חלה\u200f (שבת)', 'חלה\u200f (שבת)'],
    ['Bäckerei 日本', 'Bäckerei 日本'],
  ])('accepts %j', (name, stored) => {
    expect(displayName.parse(name)).toBe(stored);
  });

  it.each([
    ['a C0 control', 'Flour\u0007'],
    ['a newline', 'Flour\nT65'],
    ['a C1 control', 'Flour\u0085T65'],
    ['a right-to-left override', 'Invoice \u202egnp.exe'],
    ['a left-to-right embedding', '\u202aFlour'],
    ['a first-strong isolate', 'Flour\u2068 x\u2069'],
    ['a line separator', 'Flour\u2028T65'],
  ])('refuses %s in a name, saying why', (_what, name) => {
    const result = displayName.safeParse(name);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.message).toMatch(/no control characters .* or bidirectional overrides/);
  });

  it('keeps line breaks in free text and refuses the same overrides', () => {
    expect(freeText.parse('stale data:\r\n\tcount from Monday')).toContain('\n');
    expect(freeText.safeParse('stale \u202edata').success).toBe(false);
    expect(freeText.safeParse('stale \u009bdata').success).toBe(false);
  });

  it('never accepts an override or isolate anywhere in a name, whatever surrounds it', () => {
    const override = fc.constantFrom(...'\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069'.split(''));
    fc.assert(
      fc.property(fc.string(), override, fc.string(), (before, bad, after) => {
        expect(displayName.safeParse(`x${before}${bad}${after}`).success).toBe(false);
      }),
    );
  });
});

describe('calendar dates', () => {
  it.each([
    '2026-02-30',
    '2025-02-29',
    '2026-13-01',
    '9999-99-99',
    '2026-1-01',
    '1999-12-31',
    '2100-01-01',
    '2026-11-28T00:00:00Z',
  ])('refuses %s', (date) => {
    expect(isCalendarDate(date)).toBe(false);
  });

  it.each(['2024-02-29', '2026-11-28', '2000-01-01', '2099-12-31'])('accepts %s', (date) => {
    expect(calendarDate.parse(date)).toBe(date);
  });

  it('agrees with luxon on every YYYY-MM-DD shape in range', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2000, max: 2099 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const text = `${y}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
          expect(isCalendarDate(text)).toBe(DateTime.fromISO(text, { zone: 'UTC' }).isValid);
        },
      ),
      { numRuns: 3000 },
    );
  });
});

describe('quantities and money', () => {
  it.each([-1, 1e300, 2 ** 53, Number.NaN, Number.POSITIVE_INFINITY, 1e9 + 1])('refuses the quantity %s', (value) => {
    expect(quantity.safeParse(value).success).toBe(false);
  });

  it('keeps quantities to 3 decimals and money to 4', () => {
    expect(quantity.parse(1.23456)).toBe(1.235);
    expect(money.parse(0.123456)).toBe(0.1235);
    expect(money.safeParse(1e6 + 1).success).toBe(false);
  });
});

describe('user-keyed records', () => {
  it('hold any id as an own key without touching Object.prototype', () => {
    const record = userKeyedRecord<number>();
    for (const name of ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'prototype'])
      record[name] = 1;
    expect(Object.keys(record).sort()).toEqual([
      '__proto__',
      'constructor',
      'hasOwnProperty',
      'prototype',
      'toString',
      'valueOf',
    ]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf({})).toBe(Object.prototype);
  });
});

describe('the sales CSV', () => {
  const csv = (...rows: string[]) => ['productId,date,units', ...rows].join('\n');

  it('reads rows with their line numbers', () => {
    expect(salesRowsFromCsv(csv('bread,2026-11-27,12', 'cookie,2026-11-27,3.5'))).toEqual([
      { productId: 'bread', date: '2026-11-27', units: 12, line: 2 },
      { productId: 'cookie', date: '2026-11-27', units: 3.5, line: 3 },
    ]);
  });

  it.each(['', '-3', '0x10', '1e3', ' ', '"1,5"', 'NaN', 'Infinity', '+4'])(
    'refuses units %j, naming the line and column',
    (units) => {
      const attempt = () => salesRowsFromCsv(csv('bread,2026-11-27,12', `bread,2026-11-28,${units}`));
      expect(attempt).toThrow(CsvInputError);
      expect(attempt).toThrow(/^Line 3, units:/);
    },
  );

  it('names a missing column and a short row', () => {
    expect(() => salesRowsFromCsv('product,date,units\nbread,2026-11-27,1')).toThrow(/column "productId" is missing/);
    expect(() => salesRowsFromCsv(csv('bread,2026-11-27'))).toThrow(/^Line 2: expected 3 fields/);
  });
});

describe('currencies and locales', () => {
  it('takes ISO 4217 codes in any case and stores them in capitals; refuses the rest', () => {
    expect(currencyCode.parse('mxn')).toBe('MXN');
    for (const bad of ['EURO', 'XXY', '€', '', 'e1r']) expect(currencyCode.safeParse(bad).success, bad).toBe(false);
  });

  it('takes locales the runtime formats in, stored canonical', () => {
    expect(localeTag.parse('es-mx')).toBe('es-MX');
    for (const bad of ['not a locale', 'xx-YY-ZZ-123456789', '', 'en_US'])
      expect(localeTag.safeParse(bad).success, bad).toBe(false);
  });

  it('formats money as the locale writes the currency, with a symbol no other currency shares', () => {
    expect(formatMoney(65000.25, 'INR', 'en-IN')).toBe('₹65,000.25');
    expect(formatMoney(929.55, 'EUR', 'es-ES')).toBe('929,55\u00a0€');
    expect(formatMoney(788.29, 'USD', 'en-US')).toBe('$788.29');
    expect(formatMoney(12.5, 'GBP', 'en-GB')).toBe('£12.50');
    // "$" is also the peso's and the Australian dollar's: each is named.
    expect(formatMoney(788.29, 'AUD', 'en-AU')).toBe('A$788.29');
    expect(formatMoney(10313.8, 'MXN', 'es-MX')).toBe('MX$10,313.80');
    expect(formatMoney(788290, 'CLP', 'es-CL')).toBe('CLP\u00a0788.290');
    expect(formatMoney(1234.5, 'SEK', 'sv-SE')).toBe('1\u00a0234,50\u00a0SEK');
  });
});
