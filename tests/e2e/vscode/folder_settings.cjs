// A folder's own setting in a multi-root workspace: the user's settings turn the rule off
// (tier prototype), one folder's .vscode/settings.json turns it back on (tier production).
// Both folders' files are opened; the problem must show for that folder's file only. Records
// what it saw in a JSON file; the pytest side asserts.
'use strict';

const path = require('node:path');
const { parseArgs } = require('node:util');
const { PROBLEM_ROWS, STARTUP_TIMEOUT_MS, openWorkbench, problemsText, runScenario, screenshot, step, until } = require('./common.cjs');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    chromium: { type: 'string' },
    strict: { type: 'string' }, // the file in the folder that sets the production tier
    loose: { type: 'string' }, // the file in the folder that keeps the user's prototype tier
    code: { type: 'string' },
    artifacts: { type: 'string' },
    result: { type: 'string' },
  },
});

// How long a folder row's click is given to expand it before it is clicked again.
const EXPAND_GRACE_MS = 1000;

const result = { problems: null, error: null };

/** Opens `file` from the Explorer, expanding its workspace folder first if needed. */
async function openInFolder(page, file) {
  const name = path.basename(file);
  const folder = path.basename(path.dirname(file));
  const rows = '.explorer-folders-view .monaco-list-row';
  const row = page.locator(rows, { hasText: name }).first();
  const folderRow = page.locator(rows, { hasText: folder }).first();
  await folderRow.waitFor({ timeout: STARTUP_TIMEOUT_MS });
  // Expand it only when it is collapsed: while the Explorer redraws after the last open, the
  // file's row can be missing from an expanded folder, and a click would collapse it.
  // A click can land while the view takes the focus and select the row without expanding it:
  // clicked again until it is expanded.
  await until(`${folder} expanded`, async () => {
    if ((await folderRow.getAttribute('aria-expanded')) !== 'false') {
      return true;
    }
    await folderRow.click();
    await page.waitForTimeout(EXPAND_GRACE_MS);
    return (await folderRow.getAttribute('aria-expanded')) !== 'false';
  });
  await row.waitFor();
  await row.dblclick();
  await page.locator('.tabs-container .tab', { hasText: name }).first().waitFor();
  step(`opened ${folder}/${name}`);
}

async function folderSettings(page) {
  await openWorkbench(page, args.url);
  await openInFolder(page, args.loose);
  await openInFolder(page, args.strict);
  await page.keyboard.press('Control+Shift+M');
  result.problems = await until(
    'the problem of the strict folder',
    async () => {
      const text = await problemsText(page);
      return text.includes(args.code) && text.includes(path.basename(args.strict)) ? text : null;
    },
    STARTUP_TIMEOUT_MS,
  );
  step('problem shown');
  // Both files are checked at open; give the other's diagnostics the time the first one took.
  await page.waitForTimeout(2000);
  result.problems = (await page.locator(PROBLEM_ROWS).allTextContents()).join('\n');
  await screenshot(page, args.artifacts, 'vscode-folder-settings.png');
}

runScenario({ chromiumPath: args.chromium, artifacts: args.artifacts, resultFile: args.result, result }, folderSettings).catch(
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
