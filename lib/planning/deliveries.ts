// When a supplier's delivery comes: its lead time after the order day, on the next of its delivery
// days (a bakery supplier rarely comes on Sundays); and the latest day an order can be placed to be in
// by a date. Dates are the bakery's local dates.
import { type Supplier, WEEKDAY_NAMES } from '../domain.ts';
import { addDays, type LocalDate, weekdayOf } from '../time/tenant-clock.ts';

const delivers = (supplier: Pick<Supplier, 'deliveryDays'>, date: LocalDate) =>
  !supplier.deliveryDays?.length || supplier.deliveryDays.includes(WEEKDAY_NAMES[weekdayOf(date) - 1]!);

/** The day an order placed on `orderedOn` (before the cut-off) arrives. */
export function deliveryDate(
  supplier: Pick<Supplier, 'leadTimeDays' | 'deliveryDays'>,
  orderedOn: LocalDate,
): LocalDate {
  let date = addDays(orderedOn, supplier.leadTimeDays);
  for (let i = 0; i < 7 && !delivers(supplier, date); i += 1) date = addDays(date, 1);
  return date;
}

/**
 * The latest day from `from` on to order and still have it by `needDate`, or null when even an order
 * placed on `from` comes later.
 */
export function latestOrderDate(
  supplier: Pick<Supplier, 'leadTimeDays' | 'deliveryDays'>,
  from: LocalDate,
  needDate: LocalDate,
): LocalDate | null {
  for (let day = addDays(needDate, -supplier.leadTimeDays); day >= from; day = addDays(day, -1))
    if (deliveryDate(supplier, day) <= needDate) return day;
  return null;
}
