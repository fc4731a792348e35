// Running headers, footers and page numbers: text in the top or bottom margin band that repeats on
// many pages (digits ignored, so "Page 3 of 9" repeats), or that is a bare page number. They are
// dropped before layout, so they neither reach the text nor disturb the column detection.
import type { Fragment } from './pdf-fragments.ts';

/** The share of the page height, at the top and at the bottom, where headers and footers live. */
const MARGIN_BAND = 0.1;
/** A margin text on at least this share of the pages (and on two or more) is a running header or footer. */
const REPEATED_SHARE = 0.4;
const PAGE_NUMBER = /^(page\s*)?[-–]?\s*(\d{1,5}|[ivxlcdm]{1,7})\s*[-–]?(\s*(of|\/)\s*\d{1,5})?$/i;

export interface PageFragments {
  fragments: Fragment[];
  height: number;
}

const inMargin = (fragment: Fragment, height: number) => fragment.top < height * MARGIN_BAND || fragment.bottom > height * (1 - MARGIN_BAND);
const marginKey = (fragment: Fragment) => fragment.text.toLowerCase().replace(/\d+/g, '#').replace(/\s+/g, ' ');

/** Text reduced to what survives OCR: lower case, digits as #, words only. */
const looseKey = (text: string) => text.toLowerCase().replace(/\d+/g, '#').replace(/[^\p{L}#]+/gu, ' ').trim();

export interface Margins {
  /** The pages' fragments without running headers, footers and page numbers. */
  pages: Fragment[][];
  /** Whether text found in a margin band (by OCR, say) is only running headers, footers or a page number. */
  isRunningText(text: string): boolean;
}

export function dropMargins(pages: PageFragments[]): Margins {
  const pagesWithKey = new Map<string, number>();
  for (const page of pages) {
    const keys = new Set(page.fragments.filter((f) => inMargin(f, page.height)).map(marginKey));
    for (const key of keys) pagesWithKey.set(key, (pagesWithKey.get(key) ?? 0) + 1);
  }
  const threshold = Math.max(2, Math.ceil(pages.length * REPEATED_SHARE));
  const isRunning = (fragment: Fragment) => PAGE_NUMBER.test(fragment.text) || (pagesWithKey.get(marginKey(fragment)) ?? 0) >= threshold;
  const running = [...pagesWithKey].filter(([, count]) => count >= threshold).map(([key]) => looseKey(key)).filter(Boolean).sort((a, b) => b.length - a.length);
  return {
    pages: pages.map((page) => page.fragments.filter((f) => !(inMargin(f, page.height) && isRunning(f)))),
    isRunningText: (text) => PAGE_NUMBER.test(text.trim()) || running.reduce((rest, key) => rest.replaceAll(key, ' '), looseKey(text)).trim() === '',
  };
}

/** Whether a box (top and bottom as shares of the page height) lies in the top or bottom margin band. */
export const inMarginBand = (top: number, bottom: number) => bottom < MARGIN_BAND || top > 1 - MARGIN_BAND;
