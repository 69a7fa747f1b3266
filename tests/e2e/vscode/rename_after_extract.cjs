// Rename after extract, with the keyboard: Ctrl+. on the problem, the "Extract ... to module
// constant" quick fix, and the rename box opens by itself on the new constant (the extension
// runs the server's standardsLsp.renameAt command); type the name, Enter, save. Records what it
// saw in a JSON file; the pytest side asserts.
'use strict';

const fs = require('node:fs');
const { parseArgs } = require('node:util');
const {
  SQUIGGLE,
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
    file: { type: 'string' },
    'title-prefix': { type: 'string' },
    'new-name': { type: 'string' },
    artifacts: { type: 'string' },
    result: { type: 'string' },
  },
});

const RENAME_INPUT = '.monaco-editor .rename-box input';

const result = { action_titles: [], chosen_title: null, proposed_name: null, saved_text: null, error: null };

async function renameAfterExtract(page) {
  const original = fs.readFileSync(args.file, 'utf8');
  await openWorkbench(page, args.url);
  await openFile(page, args.file);
  await page.locator(SQUIGGLE).first().waitFor({ timeout: STARTUP_TIMEOUT_MS });
  step('squiggle');

  await openQuickFixMenu(page);
  result.chosen_title = await focusAction(page, args['title-prefix'], result);
  await page.keyboard.press('Enter');

  // No click, no F2: the rename box comes by itself, holding the proposed name.
  const input = page.locator(RENAME_INPUT).first();
  await input.waitFor({ state: 'visible' });
  result.proposed_name = await until('the proposed name in the rename box', async () => (await input.inputValue()) || null);
  step(`rename box: ${result.proposed_name}`);
  // as a user does: type once the cursor is in the box (typed before, the keys edit the file)
  await until('the rename box focused', async () => (await input.evaluate((element) => element === document.activeElement)) || null);
  await screenshot(page, args.artifacts, 'vscode-rename-after-extract.png');
  await page.keyboard.press('Control+A');
  await page.keyboard.type(args['new-name']);
  await until('the new name in the rename box', async () => (await input.inputValue()) === args['new-name'] || null);
  await page.keyboard.press('Enter');
  await input.waitFor({ state: 'hidden' });
  // The rename's edit comes from the server after Enter: wait for the editor to show it.
  const renamed = (text) => text.includes(`${args['new-name']} = `) && !text.includes(result.proposed_name);
  await until('the rename in the editor', async () => {
    const lines = await page.locator('.part.editor .monaco-editor .view-lines').first().textContent();
    return renamed((lines ?? '').replace(/\u00a0/g, ' '));
  });
  step('renamed');

  await page.keyboard.press('Control+S');
  result.saved_text = await until('the renamed file on disk', async () => {
    const text = fs.readFileSync(args.file, 'utf8');
    return text !== original && renamed(text) ? text : null;
  });
}

runScenario({ chromiumPath: args.chromium, artifacts: args.artifacts, resultFile: args.result, result }, renameAfterExtract).catch(
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
