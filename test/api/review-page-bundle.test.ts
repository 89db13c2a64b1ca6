// The review page the API serves is the build of its sources: a bundle older than page.ts, page.html or
// styles.css fails here (run `npm run build:page`).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REVIEW_PAGE } from '../../lib/api/review-page/bundle.ts';
import { BUNDLE_FILE, buildReviewPage } from '../../scripts/build-review-page.ts';

describe('the review page bundle', () => {
  it('is the build of page.html, styles.css and page.ts (run `npm run build:page` after changing them)', () => {
    expect(readFileSync(BUNDLE_FILE, 'utf8')).toBe(buildReviewPage());
  });

  it('holds the styles and the script inline, and no placeholder', () => {
    expect(REVIEW_PAGE).toMatch(/^<!doctype html>/);
    expect(REVIEW_PAGE).toContain(':root{--brown');
    expect(REVIEW_PAGE).toMatch(/<script>"use strict";\(\(\)=>\{/);
    expect(REVIEW_PAGE).not.toContain('/*STYLES*/');
    expect(REVIEW_PAGE).not.toContain('/*SCRIPT*/');
    expect(REVIEW_PAGE.match(/<\/script>/g)).toHaveLength(1);
  });
});
