// With no server to be found, the extension says so, and its button opens the server path
// setting. Records what it saw in a JSON file; the pytest side asserts.
'use strict';

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

const BUTTON = 'Open Setting';
const SETTING_ID = 'standardsLsp.server.path';

const result = { notification: null, setting_shown: null, error: null };

async function missingServer(page) {
  await openWorkbench(page, args.url);
  await openFile(page, args.file); // activates the extension (onLanguage:python)

  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Standards LSP' }).first();
  await toast.waitFor({ timeout: STARTUP_TIMEOUT_MS });
  result.notification = (await toast.locator('.notification-list-item-message').textContent()) ?? '';
  step('notification');
  await screenshot(page, args.artifacts, 'vscode-missing-server.png');
  await toast.getByRole('button', { name: BUTTON }).click();

  // The Settings editor opens filtered to the setting, and shows it.
  result.setting_shown = await until('the server path setting', async () => {
    const item = page.locator('.settings-editor .setting-item-contents', { hasText: 'Server: Path' }).first();
    return (await item.count()) && (await item.isVisible()) ? SETTING_ID : null;
  });
  step('setting shown');
  await screenshot(page, args.artifacts, 'vscode-server-path-setting.png');
}

runScenario({ chromiumPath: args.chromium, artifacts: args.artifacts, resultFile: args.result, result }, missingServer).catch(
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
