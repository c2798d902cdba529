// The dashboard's overview in headless Chromium: signs in once, then loads
// the overview RUNS times, each timed from navigation to the data-ready
// attribute the page sets once every chart has rendered. Prints one line:
//   overview_ms <p95> <median> <runs>
// Usage: node overview.mjs URL NAME PASSWORD [RUNS]  (CHZ_CHROMIUM: the browser)
import { createRequire } from 'module';

const require = createRequire(import.meta.url);
const { chromium } = require(process.env.CHZ_PLAYWRIGHT || 'playwright-core');
const [url, name, password, runsArg] = process.argv.slice(2);
const runs = Number(runsArg || 10);

const browser = await chromium.launch({
  executablePath: process.env.CHZ_CHROMIUM || '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1366, height: 768 } });
  await page.goto(url + '/?test=1');
  await page.fill('#login-name', name);
  await page.fill('#login-password', password);
  await page.click('#login-submit');
  await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60000 });
  const ms = [];
  for (let i = 0; i < runs; ++i) {
    // A new query string each time: a full load, not a same-page hash change.
    await page.evaluate(() => { document.body.dataset.ready = ''; });
    const t0 = Date.now();
    await page.goto(url + '/?test=1&run=' + i + '#overview');
    await page.waitForFunction(() => document.body.dataset.ready === '1', null, { timeout: 60000 });
    ms.push(Date.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const p95 = ms[Math.min(ms.length - 1, Math.ceil(ms.length * 0.95) - 1)];
  console.log(`overview_ms ${p95} ${ms[Math.floor(ms.length / 2)]} ${runs}`);
} finally {
  await browser.close();
}
