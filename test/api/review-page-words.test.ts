// The review page speaks the bakery's language: every English text the page uses has its Spanish,
// French and German, with the same placeholders; any other language reads English.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LANGUAGES, MSGIDS, translator } from '../../lib/api/review-page/words.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const page = readFileSync(new URL('../../lib/api/review-page/page.ts', import.meta.url), 'utf8');
const html = readFileSync(new URL('../../lib/api/review-page/page.html', import.meta.url), 'utf8');

describe("the review page's words", () => {
  it.each(Object.keys(LANGUAGES))('%s has every text, with the same placeholders', (language) => {
    const catalog = LANGUAGES[language]!;
    expect(Object.keys(catalog).sort()).toEqual([...MSGIDS].sort());
    for (const msgid of MSGIDS) {
      expect(catalog[msgid], msgid).toBeTruthy();
      expect(placeholders(catalog[msgid]!), msgid).toEqual(placeholders(msgid));
    }
  });

  it('covers every text the page asks for by its English words', () => {
    const asked = [
      ...[...page.matchAll(/\b_\('((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!.replace(/\\'/g, "'")),
      ...[...page.matchAll(/\b_\("([^"]*)"/g)].map((m) => m[1]!),
      ...[...html.matchAll(/data-t="([^"]*)"/g)].map((m) => m[1]!.replace(/&#39;/g, "'")),
    ];
    expect(asked.length).toBeGreaterThan(60);
    expect(asked.filter((msgid) => !MSGIDS.includes(msgid))).toEqual([]);
  });

  it('picks the language of the locale, with its values, and English for the rest', () => {
    expect(translator('es-MX')('{n} critical', { n: 3 })).toBe('3 críticos');
    expect(translator('fr-CA')("Today's bakes")).toBe('Cuissons du jour');
    expect(translator('de')('Approve {amount}', { amount: '12,00 €' })).toBe('12,00 € freigeben');
    expect(translator('en-IN')("Today's bakes")).toBe("Today's bakes");
    expect(translator('ja-JP')('Approve')).toBe('Approve');
    expect(translator('es')('a text nobody translated')).toBe('a text nobody translated');
  });
});
