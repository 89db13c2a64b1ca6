// The review page speaks the bakery's language: every English text the page uses, and every sentence
// the planner writes, has its Spanish, French and German, with the same placeholders; any other
// language reads English.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { fill } from '../../lib/words/message.ts';
import { SENTENCES } from '../../lib/words/sentences.ts';
import { LANGUAGES, MSGIDS, translator } from '../../lib/words/words.ts';

const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const page = readFileSync(new URL('../../lib/api/review-page/page.ts', import.meta.url), 'utf8');
const html = readFileSync(new URL('../../lib/api/review-page/page.html', import.meta.url), 'utf8');
/** The CLI's plan documents (a plan, its purchase orders, the prep sheet) speak the bakery's language too. */
const cli = readFileSync(new URL('../../lib/cli/plan-commands.ts', import.meta.url), 'utf8');

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

  it("covers every word of the CLI's plan documents", () => {
    const asked = [
      ...[...cli.matchAll(/\b_\('((?:[^'\\]|\\.)*)'/g)].map((m) => m[1]!),
      ...[...cli.matchAll(/\[((?:\s*'[^']*',?)+)\s*\]\.map\(\(h\) => _\(h\)\)/g)].flatMap((m) =>
        [...m[1]!.matchAll(/'([^']*)'/g)].map((w) => w[1]!),
      ),
    ];
    expect(asked.length).toBeGreaterThan(15);
    expect(asked.filter((msgid) => !MSGIDS.includes(msgid))).toEqual([]);
  });

  it('covers every sentence the planner writes into plans, mornings and purchase orders', () => {
    const sentences = Object.values(SENTENCES);
    expect(sentences.length).toBeGreaterThan(30);
    expect(sentences.filter((text) => !MSGIDS.includes(text))).toEqual([]);
  });

  it('fills a sentence in the language of the locale, phrases inside it translated too', () => {
    const es = translator('es-ES');
    const rule = { text: SENTENCES.ruleFillRate, values: { rate: 0.95 } };
    const values = { forecast: 120, rule, quantile: 0.9, target: 131, par: 0, fresh: 4, bake: 127, n: 1, of: 2 };
    expect(fill(SENTENCES.batch, values)).toBe(
      'forecast 120, fill rate 0.95 quantile 0.9 → 131, par level 0, fresh stock 4 → bake 127; batch 1 of 2',
    );
    expect(
      fill(
        SENTENCES.batch,
        values,
        (text) => es(text),
        (v) => String(v).replace('.', ','),
      ),
    ).toBe(
      'previsión 120, cuantil 0,9 (tasa de servicio 0,95) → 131, nivel mínimo 0, stock fresco 4 → hornear 127; hornada 1 de 2',
    );
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
