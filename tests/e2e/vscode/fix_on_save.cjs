// With standardsLsp.fixAllOnSave on, saving (Ctrl+S) writes the file with the safe fixes applied
// and the problem goes. Records what it saw in a JSON file; the pytest side asserts.
'use strict';

const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { STARTUP_TIMEOUT_MS, openFile, openWorkbench, runScenario, screenshot, step, until } = require('./common.cjs');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    chromium: { type: 'string' },
    file: { type: 'string' },
    artifacts: { type: 'string' },
    result: { type: 'string' },
  },
});

const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info';

const result = { squiggle_seen: false, saved_text: null, squiggle_gone: false, error: null };

async function fixOnSave(page) {
  const original = fs.readFileSync(args.file, 'utf8');
  await openWorkbench(page, args.url);
  await openFile(page, args.file);
  await page.locator(SQUIGGLE).first().waitFor({ timeout: STARTUP_TIMEOUT_MS });
  result.squiggle_seen = true;
  step('squiggle');

  await page.keyboard.press('Control+S');
  result.saved_text = await until('the fixed file on disk', async () => {
    const text = fs.readFileSync(args.file, 'utf8');
    return text !== original ? text : null;
  });
  step('saved with fixes');
  await until('the squiggle to go', async () => (await page.locator(SQUIGGLE).count()) === 0);
  result.squiggle_gone = true;
  await screenshot(page, args.artifacts, 'vscode-fixed-on-save.png');
}

runScenario({ chromiumPath: args.chromium, artifacts: args.artifacts, resultFile: args.result, result }, fixOnSave).catch(
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
