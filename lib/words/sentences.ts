// Every sentence the planner writes into a plan, an empty morning or a purchase order, as English
// templates. words.ts translates each (a test holds that it does, in every language).

export const SENTENCES = {
  // Why an order line has its priority.
  noSupplier: 'no supplier in the catalog offers it',
  runsOut: 'runs out on {runsOutOn}, before the earliest delivery ({earliestDelivery}): buy locally or change the bake',
  orderToday: 'order today to have it by {needDate}',
  orderTodayBefore: 'order today before {cutoff} to have it by {needDate}',
  orderTomorrow: 'order by {orderDate} (in 1 day)',
  orderTomorrowBefore: 'order by {orderDate} before {cutoff} (in 1 day)',
  orderInDays: 'order by {orderDate} (in {days} days)',
  orderInDaysBefore: 'order by {orderDate} before {cutoff} (in {days} days)',
  orderBy: 'order by {orderDate}',
  orderByBefore: 'order by {orderDate} before {cutoff}',
  // Why an order quantity is not the net need.
  minimumOrder: 'raised to the minimum order of {quantity} {unit}',
  onePack: 'rounded up to whole packs of {size} {unit} (1 pack)',
  packs: 'rounded up to whole packs of {size} {unit} ({packs} packs)',
  topUpToLevel: 'topped up to the order-up-to level of {level} {unit} (reorder point {reorderPoint} crossed)',
  topUpToSafety: 'topped up to the safety stock of {level} {unit}',
  storageLimit: 'capped to the storage limit of {limit} {unit}',
  storageLimitBelowMinimum:
    'capped to the storage limit of {limit} {unit} (below the supplier minimum: check with the supplier)',
  changedBy: 'changed by {by}: {reason}',
  // Why a batch is its size, and why units were not placed.
  batch:
    'forecast {forecast}, {rule} quantile {quantile} → {target}, par level {par}, fresh stock {fresh} → bake {bake}; batch {n} of {of}',
  batchExtra:
    'forecast {forecast}, {rule} quantile {quantile} → {target}, par level {par}, fresh stock {fresh} → bake {bake} (+{extra} to meet batch rules); batch {n} of {of}',
  ruleNewsvendor: 'newsvendor',
  ruleServiceLevel: 'service level',
  ruleFillRate: 'fill rate {rate}',
  ruleFillRateCorrected: 'fill rate {rate} (baked to {bakeTo}: the last {days} measured days served {served})',
  ruleWasteCeiling: 'waste ceiling {percent} %',
  recipeMissing: 'recipe {recipe} is missing',
  noHoursLeft: '{equipment} has no hours left',
  // Why a morning is empty.
  noProducts: 'The catalog has no products yet: import it (planner catalog import), then the sales.',
  plannedOnTheDay: 'It is planned on the day: bakes at 05:30, orders at 06:00 ({timezone}).',
  neverPlanned: 'No plan was made for this day.',
  dueAndMissing: "Today's plans were due and are missing (a late start, or an outage).",
  madeThisMorning: 'Made this morning: bakes at 05:30, orders at 06:00 local.',
  // A purchase order by e-mail.
  mailSubject: 'Purchase order {number} from {bakery}: delivery {date}',
  mailHelloName: 'Hello {name},',
  mailHello: 'Hello,',
  mailOrders: '{bakery} orders the following for delivery on {date}:',
  mailTotal: 'Total: {amount}',
  mailReference: 'Reference: {number} (plan {plan}). Please confirm, or say what you cannot deliver.',
  noAddress: 'the supplier has no e-mail address in the catalog',
  // The planner's own words in a plan's history.
  ordersSent: 'purchase orders sent',
  generated: 'generated',
  everyLineApproved: 'every order line approved',
} as const;
