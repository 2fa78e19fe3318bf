// The facilitator's tablet in a real headless Chromium, driven by Playwright.
//
//   node tablet.mjs URL SHOTS_DIR
//
// URL is the page's address with its code (as `reunion play --console-web` prints
// it). Opens it at a tablet's width, sees the current line, jumps to the heaven
// room, holds there, takes a screenshot at a tablet's and at a phone's width, goes
// offline and back (the reconnecting banner, a press sent once), then presses
// "Stop now" and waits (at most 2 s) for the calm place. Prints one JSON line of
// what it saw; tests/web.rs checks it and the session log. Exits 1 on any failure.
import { chromium } from "playwright-core";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const [url, shots] = process.argv.slice(2);
if (!url || !shots) {
  console.error("usage: node tablet.mjs URL SHOTS_DIR");
  process.exit(2);
}

// This closed network refuses Chromium's own connections; without these it stalls.
const ARGS = [
  "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync",
];
const profile = mkdtempSync(join(tmpdir(), "reunion-tablet-"));
const seen = {};
const context = await chromium.launchPersistentContext(profile, {
  executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
  headless: true,
  args: ARGS,
  viewport: { width: 820, height: 1180 },
  deviceScaleFactor: 1,
  hasTouch: true,
  timeout: 60000,
});
try {
  const tablet = context.pages()[0] ?? (await context.newPage());
  tablet.setDefaultTimeout(20000);
  await tablet.goto(url);
  // The code left the address bar once the page read it.
  seen.code_left_address = !tablet.url().includes("code=");
  await tablet.locator("#line .text").filter({ hasText: /\S/ }).waitFor();
  seen.first_line = await tablet.locator("#line .text").textContent();

  // To the heaven room: jump to the walk over, let the fade run, hold on her first line there.
  await tablet.getByRole("button", { name: "jump to walk_over" }).tap();
  await tablet.locator("#node").filter({ hasText: /^room / }).waitFor({ timeout: 30000 });
  const holding = Date.now();
  await tablet.locator("#hold").tap();
  await tablet.locator('body[data-held="true"]').waitFor();
  // Reported, not asserted: how long the page took to show the hold (a measure).
  seen.hold_ms = Date.now() - holding;
  seen.held_phase = await tablet.locator("#phase").textContent();
  seen.hold_button = await tablet.locator("#hold").textContent();
  seen.place = await tablet.locator("#place").textContent();
  seen.room_line = await tablet.locator("#line .text").textContent();
  await tablet.screenshot({ path: join(shots, "tablet-tablet.png") });

  const phone = await context.newPage();
  phone.setDefaultTimeout(20000);
  await phone.setViewportSize({ width: 390, height: 844 });
  await phone.goto(url);
  await phone.locator('body[data-held="true"]').waitFor();
  await phone.locator("#line .text").filter({ hasText: /\S/ }).waitFor();
  await phone.screenshot({ path: join(shots, "tablet-phone.png") });
  await phone.close();

  // The connection drops: a banner, and a press made meanwhile is sent once it is back.
  await context.setOffline(true);
  await tablet.locator("#banner").waitFor({ state: "visible" });
  seen.banner = await tablet.locator("#banner").textContent();
  await tablet.getByRole("button", { name: "Repeat line" }).tap();
  await new Promise((ok) => setTimeout(ok, 800));
  await context.setOffline(false);
  await tablet.locator("#banner").waitFor({ state: "hidden" });
  await tablet.locator("#happenings li", { hasText: "operator: repeat the line" }).first().waitFor();
  seen.repeats_listed = await tablet.locator("#happenings li", { hasText: "operator: repeat the line" }).count();

  // Safety first: stop now reaches the calm place within two seconds.
  const pressed = Date.now();
  await tablet.locator("#stop").tap();
  await tablet.locator('body[data-calm="true"]').waitFor({ timeout: 2000 });
  seen.stop_ms = Date.now() - pressed;
  seen.calm_phase = await tablet.locator("#phase").textContent();
  console.log(JSON.stringify(seen));
} catch (e) {
  console.error(`the tablet test failed: ${e.message}\nseen so far: ${JSON.stringify(seen)}`);
  process.exitCode = 1;
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
