// Drives VS Code (code-server, in headless Chromium via playwright-core) through one quick fix
// with the keyboard, as a user would: open the file, see the squiggle and the Problems entry,
// Ctrl+. on the problem, pick the action whose title starts with the given prefix, see the
// problem go, save. Records what it saw in a JSON file; the pytest side asserts.
// playwright-core is found through NODE_PATH (installed by editors/install-editors.sh).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { chromium } = require('playwright-core');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    chromium: { type: 'string' },
    file: { type: 'string' }, // absolute path of the file with the violation
    code: { type: 'string' },
    'title-prefix': { type: 'string' },
    artifacts: { type: 'string' },
    result: { type: 'string' },
  },
});

// Hang guards only: every wait returns as soon as its condition holds.
const STARTUP_TIMEOUT_MS = 90000;
const WAIT_TIMEOUT_MS = 45000;
const POLL_MS = 100;
const MAX_MENU_STEPS = 20;
const VIEWPORT = { width: 1200, height: 720 };
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info';
const PROBLEM_ROWS = '.markers-panel .monaco-list-row';
const MENU_ROW = '.action-widget .monaco-list-row.action';

const result = {
  squiggle_seen: false,
  problem_text: null,
  action_titles: [],
  chosen_title: null,
  problem_gone: false,
  squiggle_gone: false,
  saved_text: null,
  error: null,
};

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

async function screenshot(page, name) {
  await page.screenshot({ path: path.join(args.artifacts, name) });
}

async function openFile(page, file) {
  await page.keyboard.press('Control+P');
  const input = page.locator('.quick-input-widget input');
  await input.waitFor({ state: 'visible' });
  await input.fill(path.basename(file));
  await page
    .locator('.quick-input-list .monaco-list-row', { hasText: path.basename(file) })
    .first()
    .waitFor();
  await page.keyboard.press('Enter');
  await page.locator('.monaco-editor .view-lines').first().waitFor();
}

/** The Problems panel's rows, one a line (the panel also holds style elements: skip them). */
async function problemsText(page) {
  return (await page.locator(PROBLEM_ROWS).allTextContents()).join('\n');
}

/** Moves the menu's focus down to the first action titled with the prefix; returns its title. */
async function focusAction(page) {
  const rows = page.locator(MENU_ROW);
  await rows.first().waitFor();
  result.action_titles = (await rows.allTextContents()).map((text) => text.trim());
  for (let step = 0; step < MAX_MENU_STEPS; step += 1) {
    const focused = page.locator(`${MENU_ROW}.focused`);
    const title = ((await focused.count()) ? await focused.first().textContent() : '') ?? '';
    if (title.trim().startsWith(args['title-prefix'])) {
      return title.trim();
    }
    await page.keyboard.press('ArrowDown');
  }
  throw new Error(`no action titled "${args['title-prefix']}..." in ${JSON.stringify(result.action_titles)}`);
}

async function run(page) {
  const original = fs.readFileSync(args.file, 'utf8');
  await page.goto(args.url);
  await page.locator('.monaco-workbench .part.editor').waitFor({ timeout: STARTUP_TIMEOUT_MS });
  await openFile(page, args.file);

  await page.locator(SQUIGGLE).first().waitFor({ timeout: STARTUP_TIMEOUT_MS });
  result.squiggle_seen = true;
  await page.keyboard.press('Control+Shift+M'); // the Problems panel
  result.problem_text = await until('the problem in the Problems panel', async () => {
    const text = await problemsText(page);
    return text.includes(args.code) ? text : null;
  });

  // Back to the editor, cursor onto the problem (F8: next problem), then the quick fix menu.
  await page.keyboard.press('Control+1');
  await page.keyboard.press('F8');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Control+.');
  result.chosen_title = await focusAction(page);
  await screenshot(page, 'vscode-quick-fix.png');
  await page.keyboard.press('Enter');

  await until('the problem to leave the Problems panel', async () => !(await problemsText(page)).includes(args.code));
  result.problem_gone = true;
  await until('the squiggle to go', async () => (await page.locator(SQUIGGLE).count()) === 0);
  result.squiggle_gone = true;
  await screenshot(page, 'vscode-fixed.png');

  await page.keyboard.press('Control+S');
  result.saved_text = await until('the fixed file on disk', async () => {
    const text = fs.readFileSync(args.file, 'utf8');
    return text !== original ? text : null;
  });
}

async function main() {
  fs.mkdirSync(args.artifacts, { recursive: true });
  const browser = await chromium.launch({
    executablePath: args.chromium,
    headless: true,
    args: CHROMIUM_FLAGS,
  });
  const page = await browser.newPage({ viewport: VIEWPORT });
  page.setDefaultTimeout(WAIT_TIMEOUT_MS);
  try {
    await run(page);
  } catch (error) {
    result.error = String(error && error.stack ? error.stack : error);
    await screenshot(page, 'vscode-failure.png').catch(() => undefined);
  } finally {
    fs.writeFileSync(args.result, JSON.stringify(result, null, 2));
    await browser.close();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
