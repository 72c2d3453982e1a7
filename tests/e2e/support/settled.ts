// Clicks that wait for the page to stop moving. Right after an import the app's lists and panels
// still grow as meetings arrive (rows inserted above the one wanted, a panel collapsing after
// "Add all"); a click aimed at an element's place can then land on its neighbour, or between a
// mousedown and a mouseup on two different elements, and do nothing. A user would look and click
// again; these helpers wait until the element holds still, and say so when it never does.
import { expect, type Locator } from '@playwright/test';

type Box = { x: number; y: number; width: number; height: number } | null;
const same = (a: Box, b: Box) =>
  !!a && !!b && a.x === b.x && a.y === b.y && a.width === b.width && a.height === b.height;

/** Resolves once the element's box has stayed the same for `quietMs`. */
export async function whenSettled(locator: Locator, quietMs = 500, timeoutMs = 30_000): Promise<void> {
  await locator.scrollIntoViewIfNeeded({ timeout: timeoutMs });
  const deadline = Date.now() + timeoutMs;
  let last: Box = await locator.boundingBox();
  let since = Date.now();
  while (Date.now() < deadline) {
    await locator.page().waitForTimeout(100);
    const box = await locator.boundingBox();
    if (!same(box, last)) {
      last = box;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
  throw new Error(`${String(locator)} kept moving for ${timeoutMs} ms`);
}

/**
 * Follows an in-app link and checks that the page went where the link points; a click that a
 * moving list swallowed, or that landed on a neighbour, is noticed and tried again (3 times).
 */
export async function followLink(link: Locator): Promise<void> {
  const page = link.page();
  await expect(link).toBeVisible({ timeout: 60_000 });
  const href = await link.getAttribute('href');
  if (!href?.startsWith('#')) throw new Error(`followLink is for in-app links; got ${href}`);
  const from = page.url();
  for (let attempt = 1; ; attempt++) {
    await whenSettled(link);
    await link.click();
    try {
      await expect(page).toHaveURL((u) => u.hash === href, { timeout: 3_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
      if (page.url() !== from) await page.goBack(); // a neighbour's page: back to the list
    }
  }
}

/** Ticks or unticks a checkbox once it holds still. */
export async function setCheckedSettled(box: Locator, checked: boolean): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    await whenSettled(box);
    try {
      await box.setChecked(checked, { timeout: 5_000 });
      return;
    } catch (error) {
      if (attempt >= 3) throw error;
    }
  }
}
