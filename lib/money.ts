// Money as a person reads it: amounts in the tenant's currency, formatted for its locale.

/** Where a tenant says nothing: the default zone's country. */
export const DEFAULT_CURRENCY = 'EUR';
export const DEFAULT_LOCALE = 'es-ES';

const formats = new Map<string, Intl.NumberFormat>();

/** `€929.55` / `929,55 €` / `MX$10,313.80` / `₹65,000.25`, as the locale writes the currency. */
export function formatMoney(amount: number, currency: string, locale: string): string {
  const key = `${locale}|${currency}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, { style: 'currency', currency });
    formats.set(key, format);
  }
  return format.format(amount);
}
