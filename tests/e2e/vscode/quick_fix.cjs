// Drives VS Code (code-server in headless Chromium) through one quick fix with the keyboard, as
// a user would: open the file, see the squiggle and the Problems entry, Ctrl+. on the problem,
// pick the action whose title starts with the given prefix, see the problem go, save.
// Records what it saw in a JSON file; the pytest side asserts.
'use strict';

const fs = require('node:fs');
const { parseArgs } = require('node:util');
const {
  STARTUP_TIMEOUT_MS,
  focusAction,
  openFile,
  openQuickFixMenu,
  openWorkbench,
  runScenario,
  screenshot,
  step,
  until,
} = require('./common.cjs');

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

const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info';
const PROBLEM_ROWS = '.markers-panel .monaco-list-row';

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

/** The Problems panel's rows, one a line (the panel also holds style elements: skip them). */
async function problemsText(page) {
  return (await page.locator(PROBLEM_ROWS).allTextContents()).join('\n');
}

async function quickFix(page) {
  const original = fs.readFileSync(args.file, 'utf8');
  await openWorkbench(page, args.url);
  await openFile(page, args.file);

  await page.locator(SQUIGGLE).first().waitFor({ timeout: STARTUP_TIMEOUT_MS });
  result.squiggle_seen = true;
  step('squiggle');
  await page.keyboard.press('Control+Shift+M'); // the Problems panel
  result.problem_text = await until('the problem in the Problems panel', async () => {
    const text = await problemsText(page);
    return text.includes(args.code) ? text : null;
  });

  await openQuickFixMenu(page);
  result.chosen_title = await focusAction(page, args['title-prefix'], result);
  step('quick fix menu');
  await screenshot(page, args.artifacts, 'vscode-quick-fix.png');
  await page.keyboard.press('Enter');

  await until('the problem to leave the Problems panel', async () => !(await problemsText(page)).includes(args.code));
  result.problem_gone = true;
  step('problem gone');
  await until('the squiggle to go', async () => (await page.locator(SQUIGGLE).count()) === 0);
  result.squiggle_gone = true;
  await screenshot(page, args.artifacts, 'vscode-fixed.png');
  step('squiggle gone');

  await page.keyboard.press('Control+S');
  result.saved_text = await until('the fixed file on disk', async () => {
    const text = fs.readFileSync(args.file, 'utf8');
    return text !== original ? text : null;
  });
}

runScenario({ chromiumPath: args.chromium, artifacts: args.artifacts, resultFile: args.result, result }, quickFix).catch(
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
