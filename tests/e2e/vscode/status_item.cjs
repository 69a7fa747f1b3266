// The status item: "Standards LSP" in the status bar says the server is running; a click shows
// the Standards LSP output; when the server process dies (killed here), the item turns to
// error and a notification says so. Records what it saw in a JSON file; the pytest side asserts.
'use strict';

const fs = require('node:fs');
const { parseArgs } = require('node:util');
const { STARTUP_TIMEOUT_MS, openFile, openWorkbench, runScenario, screenshot, step, until } = require('./common.cjs');

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    chromium: { type: 'string' },
    file: { type: 'string' },
    server: { type: 'string' }, // the server's path as the extension runs it: finds its process
    artifacts: { type: 'string' },
    result: { type: 'string' },
  },
});

// The label is on the item or on its inner link, depending on the VS Code version.
const ITEM = '.statusbar-item[aria-label^="Standards LSP"], .statusbar-item [aria-label^="Standards LSP"]';

const result = { running_label: null, output_text: null, error_label: null, notification: null, error: null };

/** The processes whose command line holds `marker` (the server started from this test's .venv). */
function processesRunning(marker) {
  const found = [];
  for (const pid of fs.readdirSync('/proc').filter((name) => /^\d+$/.test(name))) {
    try {
      const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      // The program itself, or the script its interpreter runs (not a mere argument, as here).
      const at = commandLine.indexOf(marker);
      if (Number(pid) !== process.pid && (at === 0 || at === 1)) {
        found.push(Number(pid));
      }
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

async function label(page) {
  const item = page.locator(ITEM).first();
  return (await item.count()) ? await item.getAttribute('aria-label') : null;
}

async function statusItem(page) {
  await openWorkbench(page, args.url);
  await openFile(page, args.file);
  result.running_label = await until(
    'the status item to say running',
    async () => ((await label(page)) ?? '').includes('running') && (await label(page)),
    STARTUP_TIMEOUT_MS,
  );
  step(`status: ${result.running_label}`);

  await page.locator(ITEM).first().click();
  result.output_text = await until('the Standards LSP output', async () => {
    // Monaco renders spaces as non-breaking ones.
    const lines = await page.locator('.part.panel .view-lines').allTextContents();
    const text = lines.join('\n').replace(/\u00a0/g, ' ');
    return text.includes('found via') ? text : null;
  });
  step('output shown');
  await screenshot(page, args.artifacts, 'vscode-status-output.png');

  const pids = processesRunning(args.server);
  if (pids.length === 0) {
    throw new Error(`no process runs ${args.server}`);
  }
  for (const pid of pids) {
    process.kill(pid, 'SIGKILL');
  }
  step(`killed ${pids.join(', ')}`);
  result.error_label = await until('the status item to say error', async () => {
    const now = (await label(page)) ?? '';
    return now.includes('error') ? now : null;
  });
  const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Standards LSP' }).first();
  await toast.waitFor();
  result.notification = (await toast.locator('.notification-list-item-message').textContent()) ?? '';
  step('reported');
  await screenshot(page, args.artifacts, 'vscode-status-error.png');
}

runScenario({ chromiumPath: args.chromium, artifacts: args.artifacts, resultFile: args.result, result }, statusItem).catch(
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
