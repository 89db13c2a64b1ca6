// The review rule: each (date, deadline) is checked by exactly one review firing of its zone, at the
// first existing instant at or after the deadline — skipped and repeated hours included.
import { describe, expect, it } from 'vitest';
import { firingsBetween, REVIEW_DEADLINES } from '../../lib/jobs/job-table.ts';
import { addDays, daysBetween } from '../../lib/time/tenant-clock.ts';
import { reviewInstant, reviewsCheckedBy } from '../../lib/workflow/review-deadline.ts';

const HOUR_MS = 3_600_000;

/** Every check of every review firing in [from, to), by "date deadline", with the firing's instant. */
function checksBetween(zone: string, from: string, to: string, testMode = false) {
  const checked = new Map<string, string[]>();
  for (const firing of firingsBetween('review', zone, new Date(from), new Date(to), testMode)) {
    for (const { planDate, deadline } of reviewsCheckedBy(firing.scheduledTime, zone, testMode)) {
      const key = `${planDate} ${deadline}`;
      checked.set(key, [...(checked.get(key) ?? []), firing.scheduledTime]);
    }
  }
  return checked;
}

describe('the review rule', () => {
  it('checks a 23:00 deadline that Nuuk skips at midnight, and a 22:00 that Easter Island skips at 23:00', () => {
    expect(reviewsCheckedBy('2026-03-29T01:00:00Z', 'America/Nuuk')).toEqual([
      { planDate: '2026-03-28', deadline: '23:00' },
    ]);
    expect(reviewsCheckedBy('2026-09-06T04:00:00Z', 'Pacific/Easter')).toEqual([
      { planDate: '2026-09-05', deadline: '22:00' },
      { planDate: '2026-09-05', deadline: '23:00' },
    ]);
    // A normal midnight checks nothing; a normal hour its own deadline.
    expect(reviewsCheckedBy('2026-03-27T02:00:00Z', 'America/Nuuk')).toEqual([]);
    expect(reviewsCheckedBy('2026-03-28T09:00:00Z', 'Europe/Madrid')).toEqual([
      { planDate: '2026-03-28', deadline: '10:00' },
    ]);
  });

  it('checks at :20 in test mode, and nothing at :50', () => {
    expect(reviewsCheckedBy('2026-03-28T09:20:00Z', 'Europe/Madrid', true)).toEqual([
      { planDate: '2026-03-28', deadline: '10:00' },
    ]);
    expect(reviewsCheckedBy('2026-03-28T09:50:00Z', 'Europe/Madrid', true)).toEqual([]);
  });

  // Full years where a clock change skips a deadline hour every year; the weeks around the changes elsewhere.
  it.each([
    ['America/Nuuk', false, '2026-01-01', '2026-12-31'],
    ['Pacific/Easter', false, '2027-01-01', '2027-12-31'],
    ['America/Scoresbysund', false, '2028-01-01', '2028-12-31'],
    ['Antarctica/Troll', false, '2026-03-20', '2026-04-05'],
    ['Australia/Lord_Howe', false, '2026-09-25', '2026-10-10'],
    ['America/Santiago', false, '2026-04-01', '2026-04-10'],
    ['Europe/Madrid', true, '2026-10-20', '2026-10-31'],
  ])(
    'checks every date and deadline exactly once, at its first instant, in %s (test mode: %s), %s to %s',
    (zone, testMode, first, last) => {
      const from = `${addDays(first, -2)}T00:00:00Z`;
      const to = `${addDays(last, 2)}T00:00:00Z`;
      const checked = checksBetween(zone, from, to, testMode);
      let pairs = 0;
      for (let date = first; date <= last; date = addDays(date, 1)) {
        for (const deadline of REVIEW_DEADLINES) {
          const firings = checked.get(`${date} ${deadline}`) ?? [];
          expect(firings, `${zone} ${date} ${deadline}`).toHaveLength(1);
          const due = reviewInstant(date, deadline, zone, testMode).getTime();
          const at = Date.parse(firings[0]!);
          expect(at >= due && at < due + HOUR_MS, `${zone} ${date} ${deadline} checked at ${firings[0]}`).toBe(true);
          pairs += 1;
        }
      }
      expect(pairs).toBe((daysBetween(first, last) + 1) * REVIEW_DEADLINES.length);
    },
  );
});
