// Shared by the VS Code e2e scripts: launching Debian's Chromium headless through playwright-core
// (found through NODE_PATH), polling, screenshots, opening a file, the result file.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { chromium } = require('playwright-core');

// Hang guards only: every wait returns as soon as its condition holds.
const STARTUP_TIMEOUT_MS = 150000;
const WAIT_TIMEOUT_MS = 45000;
const POLL_MS = 100;
const VIEWPORT = { width: 1200, height: 720 };
// Without the networking flags Chromium keeps reaching for Google's hosts on this closed network.
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const started = Date.now();

/** Logs a step with the time since start (stderr, shown by pytest when a test fails). */
function step(name) {
  console.error(`[${((Date.now() - started) / 1000).toFixed(1)} s] ${name}`);
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function until(what, condition, timeout = WAIT_TIMEOUT_MS) {
  const deadline = Date.now() + timeout;
  while (Date.now() < deadline) {
    const value = await condition();
    if (value) {
      return value;
    }
    await sleep(POLL_MS);
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function screenshot(page, artifacts, name) {
  await page.screenshot({ path: path.join(artifacts, name) });
}

/** Loads the workbench at `url` and waits until its editor area is there. */
async function openWorkbench(page, url) {
  await page.goto(url);
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: STARTUP_TIMEOUT_MS });
  step('workbench loaded');
}

/**
 * Opens `file` (at the workspace's top level) from the Explorer. Quick Open would search the
 * workspace first, which takes seconds on a loaded machine.
 */
async function openFile(page, file) {
  const name = path.basename(file);
  const row = page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first();
  await row.waitFor({ timeout: STARTUP_TIMEOUT_MS });
  await row.dblclick();
  await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor();
  await page.locator('.monaco-editor .view-lines').first().waitFor();
  step(`opened ${name}`);
}

const MAX_MENU_STEPS = 20;
// On a loaded machine the keys can outrun the editor (F8's peek opening after the Escape meant
// for it, then swallowing Ctrl+.): the menu is asked for again, a few times.
const MENU_ATTEMPTS = 3;
const MENU_TIMEOUT_MS = 15000;
const MENU_ROW = '.action-widget .monaco-list-row.action';
const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info';
const PROBLEM_ROWS = '.markers-panel .monaco-list-row';

/** The Problems panel's rows, one a line (the panel also holds style elements: skip them). */
async function problemsText(page) {
  return (await page.locator(PROBLEM_ROWS).allTextContents()).join('\n');
}

/**
 * Moves the quick fix menu's focus down to the first action titled with `prefix`; returns its
 * title (the menu's titles go to `result.action_titles`).
 */
async function focusAction(page, prefix, result) {
  const rows = page.locator(MENU_ROW);
  await rows.first().waitFor();
  result.action_titles = (await rows.allTextContents()).map((text) => text.trim());
  for (let index = 0; index < MAX_MENU_STEPS; index += 1) {
    const focused = page.locator(`${MENU_ROW}.focused`);
    const title = ((await focused.count()) ? await focused.first().textContent() : '') ?? '';
    if (title.trim().startsWith(prefix)) {
      return title.trim();
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no action titled "${prefix}..." in ${JSON.stringify(result.action_titles)}`);
}

/**
 * Runs `ask(page)` (keys that should open the quick fix menu) until the menu shows, a few times:
 * on a loaded machine the keys can outrun the editor taking the focus.
 */
async function untilQuickFixMenu(page, ask) {
  for (let attempt = 1; attempt <= MENU_ATTEMPTS; attempt += 1) {
    await ask(page);
    try {
      await page.locator(MENU_ROW).first().waitFor({ timeout: MENU_TIMEOUT_MS });
      return;
    } catch (error) {
      step(`no quick fix menu after attempt ${attempt}: ${error.message.split('\n')[0]}`);
      await page.keyboard.press('Escape');
    }
  }
  throw new Error(`the quick fix menu did not open in ${MENU_ATTEMPTS} attempts`);
}

/** Back to the editor, the cursor onto the problem (F8: next problem), then Ctrl+. */
async function openQuickFixMenu(page) {
  await untilQuickFixMenu(page, async () => {
    await page.keyboard.press('Control+1');
    await page.keyboard.press('F8');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+.');
  });
}

/**
 * Runs `scenario(page)` in a fresh headless Chromium; whatever happens, writes `result` (which
 * the scenario fills in) to `resultFile`, with the error if one was thrown, and on an error
 * saves a screenshot of the moment.
 */
async function runScenario({ chromiumPath, artifacts, resultFile, result }, scenario) {
  fs.mkdirSync(artifacts, { recursive: true });
  step('launching chromium');
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.setDefaultTimeout(WAIT_TIMEOUT_MS);
  try {
    await scenario(page);
  } catch (error) {
    result.error = String(error && error.stack ? error.stack : error);
    await screenshot(page, artifacts, 'failure.png').catch(() => undefined);
  } finally {
    fs.writeFileSync(resultFile, JSON.stringify(result, null, 2));
    await browser.close();
  }
}

module.exports = {
  PROBLEM_ROWS,
  SQUIGGLE,
  STARTUP_TIMEOUT_MS,
  focusAction,
  openFile,
  openQuickFixMenu,
  untilQuickFixMenu,
  problemsText,
  openWorkbench,
  runScenario,
  screenshot,
  step,
  until,
};
