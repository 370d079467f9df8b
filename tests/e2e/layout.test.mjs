// Phone-width layout: the sample admin page and the widget in its dialog at
// 390 and 320 px, light and dark. Nothing of the widget (the step
// indicator's names included) runs past the widget's box, the page's dialog
// or the screen; the page never scrolls sideways; the page follows the dark
// scheme like the widget does. Screenshots at 390 px as test artifacts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { openPage, openDialogFor, useBackendAndBrowser } from './harness.mjs';

const ROOT = resolve(import.meta.dirname, '../..');
const SHOTS = join(ROOT, 'tests/artifacts/screenshots');

const env = useBackendAndBrowser({}, { beforeStart: () => {
  mkdirSync(SHOTS, { recursive: true });
} });

const PHONE_HEIGHT = 844;

/**
 * Everything visible in the element's shadow root (nested ones too) whose
 * box runs past the host element, the dialog around it (if any) or the
 * viewport, left or right: "tag.class "text": 412 > 374", one per element.
 */
async function overflowing(host) {
  return host.evaluate((el) => {
    const vw = window.innerWidth;
    const bounds = [['the widget', el.getBoundingClientRect()], ['the viewport', { left: 0, right: vw }]];
    const dialog = el.closest('dialog');
    if (dialog) bounds.push(['the dialog', dialog.getBoundingClientRect()]);
    const name = (e) => `${e.tagName.toLowerCase()}${[...e.classList].map((c) => '.' + c).join('')}`
      + ` "${(e.textContent || e.value || '').trim().replace(/\s+/g, ' ').slice(0, 30)}"`;
    const found = [];
    // The host itself must sit inside the dialog and the viewport.
    const own = el.getBoundingClientRect();
    for (const [what, b] of bounds.slice(1)) {
      if (own.right > b.right + 0.5 || own.left < b.left - 0.5) found.push(`the widget: ${own.left}-${own.right} outside ${what} (${b.left}-${b.right})`);
    }
    const walk = (root) => {
      for (const e of root.querySelectorAll('*')) {
        if (e.shadowRoot) walk(e.shadowRoot);
        const r = e.getBoundingClientRect();
        // Not drawn, or drawn as a 1-pixel clip for screen readers only.
        if (r.width <= 1 && r.height <= 1) continue;
        if (getComputedStyle(e).visibility === 'hidden') continue;
        for (const [what, b] of bounds) {
          if (r.right > b.right + 0.5) found.push(`${name(e)}: right edge ${Math.round(r.right)} > ${what}'s ${Math.round(b.right)}`);
          if (r.left < b.left - 0.5) found.push(`${name(e)}: left edge ${Math.round(r.left)} < ${what}'s ${Math.round(b.left)}`);
        }
      }
    };
    walk(el.shadowRoot);
    return found;
  });
}

/** The step indicator's names, as drawn: [{ name, left, right }]. */
function stepNames(host) {
  return host.evaluate((el) => [...el.shadowRoot.querySelectorAll('.steps .step-name')].map((n) => {
    const r = n.getBoundingClientRect();
    return { name: n.textContent, left: r.left, right: r.right, width: r.width };
  }));
}

/** No sideways scrolling: the document is no wider than the window. */
async function assertNoHorizontalScroll(page, where) {
  const { scrollWidth, innerWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
  }));
  assert.ok(scrollWidth <= innerWidth, `${where}: the page scrolls sideways (${scrollWidth} px wide in ${innerWidth})`);
}

async function assertFits(page, widget, where) {
  assert.deepEqual(await overflowing(widget), [], `${where}: nothing runs out of the widget, the dialog or the screen`);
  await assertNoHorizontalScroll(page, where);
}

/** Relative luminance (0 black … 1 white) of a computed `rgb(…)` colour. */
function luminance(rgb) {
  const [r, g, b] = rgb.match(/[\d.]+/g).slice(0, 3).map((v) => {
    const c = Number(v) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

async function assertSchemeFollowed(page, scheme) {
  const colours = await page.evaluate(() => {
    const widget = document.querySelector('dialog#reset-dialog reset-password');
    return {
      page: getComputedStyle(document.documentElement).backgroundColor,
      topbar: getComputedStyle(document.querySelector('.topbar')).backgroundColor,
      dialog: getComputedStyle(document.querySelector('dialog#reset-dialog')).backgroundColor,
      widgetText: getComputedStyle(widget.shadowRoot.querySelector('.dialog')).color,
    };
  });
  const [pageL, dialogL, textL] = [luminance(colours.page), luminance(colours.dialog), luminance(colours.widgetText)];
  if (scheme === 'dark') {
    assert.ok(pageL < 0.05, `the page's background is dark in the dark scheme (${colours.page})`);
    assert.ok(dialogL < 0.05, `the dialog is dark in the dark scheme (${colours.dialog})`);
    assert.ok(luminance(colours.topbar) < 0.05, `the top bar is dark in the dark scheme (${colours.topbar})`);
    assert.ok(textL > 0.6, `the widget's text is light on it (${colours.widgetText})`);
  } else {
    assert.ok(pageL > 0.8, `the page's background is light in the light scheme (${colours.page})`);
    assert.ok(dialogL > 0.8, `the dialog is light in the light scheme (${colours.dialog})`);
    assert.ok(textL < 0.05, `the widget's text is dark on it (${colours.widgetText})`);
  }
}

/** The sample admin page at a phone's size, its users listed. */
async function adminPage(width, scheme) {
  const opened = await openPage(env.browser, env.backend.url + '/', { colorScheme: scheme, viewport: { width, height: PHONE_HEIGHT } });
  await opened.page.locator('tr', { has: opened.page.locator('text=u-1042') }).waitFor();
  await opened.page.waitForFunction(() => !document.getElementById('reset-all').disabled);
  return opened;
}

for (const width of [390, 320]) {
  for (const scheme of ['light', 'dark']) {
    test(`at ${width} px (${scheme}) the admin page, the reset dialog and the bulk dialog fit the screen`, async () => {
      const { page, context } = await adminPage(width, scheme);
      const shot = (name) => (width === 390 ? page.screenshot({ path: join(SHOTS, `phone-${scheme}-${name}.png`) }) : null);
      await assertNoHorizontalScroll(page, 'the admin page');
      await shot('0-admin-page');

      // One user: every step, and the result.
      const widget = await openDialogFor(page, 'u-1043');
      await assertSchemeFollowed(page, scheme);
      const names = await stepNames(widget);
      assert.deepEqual(names.map((n) => n.name), ['Password', 'Strength', 'Delivery']);
      for (const n of names) assert.ok(n.width > 0, `the step name ${n.name} is drawn`);
      await assertFits(page, widget, 'step 1');
      await shot('1-reset-password');
      await widget.getByRole('button', { name: 'Next' }).click();
      await widget.getByRole('heading', { name: 'Strength' }).waitFor();
      await assertFits(page, widget, 'step 2');
      await widget.getByRole('button', { name: 'Next' }).click();
      await widget.getByRole('heading', { name: 'Delivery' }).waitFor();
      await assertFits(page, widget, 'step 3');
      await shot('2-reset-delivery');
      await widget.getByRole('button', { name: 'Reset password' }).click();
      await widget.getByRole('heading', { name: 'Password reset' }).waitFor();
      await widget.getByRole('button', { name: 'Show password' }).click();
      await assertFits(page, widget, 'the result');
      await shot('3-reset-result');
      await page.keyboard.press('Escape');
      await page.waitForFunction(() => !document.querySelector('dialog#reset-dialog').open);

      // Everyone: the users, delivery, and the results table.
      await page.getByRole('button', { name: 'Reset passwords for all users' }).click();
      const bulk = page.locator('dialog#reset-dialog reset-password');
      await bulk.getByText(/^\d+ of \d+ users selected$/).waitFor();
      await assertSchemeFollowed(page, scheme);
      const bulkNames = await stepNames(bulk);
      assert.deepEqual(bulkNames.map((n) => n.name), ['Users', 'Delivery', 'Results'], 'the bulk dialog shows the same step indicator');
      for (const n of bulkNames) assert.ok(n.width > 0, `the step name ${n.name} is drawn`);
      await assertFits(page, bulk, 'bulk: users');
      await shot('4-bulk-users');
      await bulk.getByRole('button', { name: 'Next' }).click();
      await bulk.getByRole('heading', { name: 'Delivery' }).waitFor();
      await assertFits(page, bulk, 'bulk: delivery');
      await bulk.getByRole('button', { name: 'Reset password' }).click();
      await bulk.getByText(/^(\d+) of \1 passwords reset\.$/).waitFor();
      await bulk.locator('tr[data-user-id]').first().getByRole('button', { name: /^Show password for / }).click();
      await assertFits(page, bulk, 'bulk: results');
      await shot('5-bulk-results');
      await context.close();
    });
  }
}

// The step indicator is the same markup wherever a flow shows it; its names
// depend on the flow and the language. Three long Swedish names in a copy of
// it, next to the real one, on the Swedish page at 320 px.
for (const scheme of ['light', 'dark']) {
  test(`at 320 px (${scheme}) the Swedish dialog fits, and so does a step indicator with long names`, async () => {
    const { page, context } = await openPage(env.browser, env.backend.url + '/svenska.html', { colorScheme: scheme, viewport: { width: 320, height: 640 } });
    await page.locator('html[data-ready]').waitFor();
    const widget = page.locator('reset-password');
    await widget.getByRole('radio', { name: 'Generera ett lösenord automatiskt' }).waitFor();
    await assertFits(page, widget, 'Swedish, steg 1');
    await widget.getByRole('button', { name: 'Nästa' }).click();
    await widget.getByRole('heading', { name: 'Styrka' }).waitFor();
    await widget.getByRole('button', { name: 'Nästa' }).click();
    await widget.getByRole('heading', { name: 'Leverans' }).waitFor();
    await assertFits(page, widget, 'Swedish, steg 3');

    const long = ['Användare', 'Lösenordets styrka', 'Leveransalternativ'];
    await widget.evaluate((el, names) => {
      const nav = el.shadowRoot.querySelector('nav.steps');
      const copy = nav.cloneNode(true);
      copy.id = 'long-names';
      copy.querySelectorAll('.step-name').forEach((n, i) => { n.textContent = names[i]; });
      nav.after(copy);
    }, long);
    const drawn = await widget.evaluate((el) => [...el.shadowRoot.querySelectorAll('#long-names .step-name')].map((n) => n.textContent));
    assert.deepEqual(drawn, long);
    await assertFits(page, widget, 'three long names');
    await context.close();
  });
}
