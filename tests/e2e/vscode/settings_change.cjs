// Changing a standardsLsp setting takes effect without a restart: with the tier overridden to
// one where the rule is off, the problem goes. The settings file is written the way a user's
// edit would save it. Records what it saw in a JSON file; the pytest side asserts.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { parseArgs } = require('node:util');
const { STARTUP_TIMEOUT_MS, openFile, openWorkbench, runScenario, screenshot, step, until } = require('./common.cjs');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    chromium: { type: 'string' },
    file: { type: 'string' },
    settings: { type: 'string' }, // JSON of the workspace settings to save once the problem shows
    artifacts: { type: 'string' },
    result: { type: 'string' },
  },
});

const SQUIGGLE = '.monaco-editor .squiggly-error, .monaco-editor .squiggly-warning, .monaco-editor .squiggly-info';

const result = { squiggle_seen: false, squiggle_gone: false, error: null };

async function settingsChange(page) {
  await openWorkbench(page, args.url);
  await openFile(page, args.file);
  await page.locator(SQUIGGLE).first().waitFor({ timeout: STARTUP_TIMEOUT_MS });
  result.squiggle_seen = true;
  step('squiggle');

  const settingsFile = path.join(path.dirname(args.file), '.vscode', 'settings.json');
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, args.settings);
  await until('the squiggle to go', async () => (await page.locator(SQUIGGLE).count()) === 0);
  result.squiggle_gone = true;
  step('squiggle gone');
  await screenshot(page, args.artifacts, 'vscode-settings-changed.png');
}

runScenario({ chromiumPath: args.chromium, artifacts: args.artifacts, resultFile: args.result, result }, settingsChange).catch(
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
