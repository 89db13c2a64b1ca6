// Money as a person reads it: amounts in the tenant's currency, formatted for its locale.

/** Where a tenant says nothing: the default zone's country. */
export const DEFAULT_CURRENCY = 'EUR';
export const DEFAULT_LOCALE = 'es-ES';

/** Symbols several currencies share: "$" is the dollar's, the peso's and a dozen more; "kr" four crowns'. */
const SHARED_SYMBOLS = new Set(['$', 'kr', 'kr.', '¥', '£']);

const formats = new Map<string, (amount: number) => string>();

/**
 * A formatter of amounts as the locale writes them, but with an unambiguous symbol where the locale's
 * is shared by other currencies and means another one elsewhere: pesos in es-MX are `MX$1,234.50`, not
 * `$1,234.50`; Chilean pesos `CLP 516.790`; dollars in en-US stay `$`.
 */
export function moneyFormatter(currency: string, locale: string): (amount: number) => string {
  const key = `${locale}|${currency}`;
  const cached = formats.get(key);
  if (cached) return cached;
  const local = new Intl.NumberFormat(locale, { style: 'currency', currency });
  const symbolOf = (format: Intl.NumberFormat) =>
    format.formatToParts(1).find((p) => p.type === 'currency')?.value ?? '';
  const own = symbolOf(local);
  const international = symbolOf(new Intl.NumberFormat('en', { style: 'currency', currency }));
  const clear = SHARED_SYMBOLS.has(own) && international !== own ? international : null;
  const format = clear
    ? (amount: number) =>
        local
          .formatToParts(amount)
          .map((p, i, parts) =>
            p.type !== 'currency'
              ? p.value
              : // A code (CLP) next to a digit gets the space a symbol ($) did not need.
                /[A-Za-z]$/.test(clear) && /^\d/.test(parts[i + 1]?.value ?? '')
                ? `${clear}\u00a0`
                : clear,
          )
          .join('')
    : (amount: number) => local.format(amount);
  formats.set(key, format);
  return format;
}

/** `929,55 €` / `MX$10,313.80` / `₹65,000.25` / `CLP 516.790`: as the locale writes the currency, unambiguously. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  return moneyFormatter(currency, locale)(amount);
}

/**
 * Roughly how many units of a currency make a euro: for orders of magnitude only (is a price of 1 in
 * this currency plausible for a loaf?), never for converting money. Currencies not listed are not judged.
 */
const ROUGH_UNITS_PER_EUR: Readonly<Record<string, number>> = {
  EUR: 1,
  USD: 1.1,
  GBP: 0.85,
  CHF: 0.95,
  CAD: 1.5,
  AUD: 1.7,
  NZD: 1.8,
  SEK: 11.5,
  NOK: 11.7,
  DKK: 7.5,
  ISK: 150,
  PLN: 4.3,
  CZK: 25,
  HUF: 400,
  RON: 5,
  BGN: 2,
  TRY: 40,
  MXN: 20,
  BRL: 6,
  ARS: 1000,
  CLP: 1000,
  COP: 4500,
  PEN: 4.1,
  UYU: 45,
  JPY: 160,
  KRW: 1500,
  CNY: 8,
  INR: 95,
  ZAR: 20,
  MAD: 11,
  ILS: 4,
  AED: 4,
};

/** Roughly how many units of `currency` make a euro (orders of magnitude only), or undefined for a currency not listed. */
export const roughUnitsPerEur = (currency: string): number | undefined => ROUGH_UNITS_PER_EUR[currency];

/** What a bakery product sells for, in euros: below or above this, the prices are in another currency or mistyped. */
const PLAUSIBLE_PRODUCT_PRICE_EUR = { min: 0.15, max: 60 };

/**
 * A warning when a catalog's product prices look like another currency's (euro-sized prices in pesos,
 * pesos in euros): the median price, converted roughly, outside what bakery products sell for. Null
 * when they look right or the currency is not one this knows.
 */
export function implausiblePrices(prices: readonly number[], currency: string, locale: string): string | null {
  const rate = ROUGH_UNITS_PER_EUR[currency];
  const positive = prices.filter((p) => p > 0).sort((a, b) => a - b);
  if (!rate || positive.length === 0) return null;
  const median = positive[Math.floor((positive.length - 1) / 2)]!;
  const low = PLAUSIBLE_PRODUCT_PRICE_EUR.min * rate;
  const high = PLAUSIBLE_PRODUCT_PRICE_EUR.max * rate;
  if (median >= low && median <= high) return null;
  const money = (amount: number) => formatMoney(amount, currency, locale);
  return (
    `The median product price, ${money(median)} (${currency}), is ${median < low ? 'below' : 'above'} what bakery products sell for ` +
    `in ${currency} (about ${money(low)} to ${money(high)}): are the prices in another currency? Check the tenant's currency ` +
    `(planner set-tenant --currency) or the catalog's prices; costs and orders are computed in ${currency}.`
  );
}
