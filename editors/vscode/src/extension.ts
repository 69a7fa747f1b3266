import * as vscode from 'vscode';
import {
  CloseAction,
  ErrorAction,
  LanguageClient,
  State,
  type DocumentSelector,
  type LanguageClientOptions,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { onInterpreterChanged } from './python';
import { EXECUTABLE, findServer, ServerNotFound, VENV_BIN, type ServerLocation } from './serverPath';
import { fixAllOnSave, RESTART_SETTINGS, SECTION, serverSettings } from './settings';
import { StatusItem } from './status';
import { isAtLeast } from './version';

const CLIENT_ID = SECTION; // the client reads `${CLIENT_ID}.trace.server` by itself
const CLIENT_NAME = 'Standards LSP';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('standards');
const OPEN_SETTING = 'Open Setting';
const SHOW_OUTPUT = 'Show Output';
const RESTART = 'Restart';
const SHOW_OUTPUT_COMMAND = 'standardsLsp.showOutput';
/** Run by the client after an extraction (the server attaches it, see below). */
const RENAME_AT_COMMAND = 'standardsLsp.renameAt';
// How long the rename after an extraction waits for the extraction's edit to reach the editor.
const NAME_WAIT_MS = 5000;
/** How many times in a row the connection may fail to be read or written before giving up. */
const MAX_CONNECTION_ERRORS = 3;

/**
 * Python sources (by language, below), plus every file the server diagnoses for the project's
 * shape: the file rules' patterns and the watched configuration files.
 * tests/unit/test_editor_coverage.py fails when a pattern of the server is missing here.
 */
const FILE_PATTERNS = [
  // configuration (STD405, STD5xx) and dependency tables (STD301-302, STD403-406)
  '**/pyproject.toml',
  '**/standards.toml',
  '**/.python-version',
  // files of the other package managers (STD401)
  '**/requirements*.txt',
  '**/Pipfile',
  '**/Pipfile.lock',
  '**/poetry.lock',
  '**/environment.yml',
  '**/environment.yaml',
  // configuration of other type checkers, linters and formatters (STD303)
  '**/mypy.ini',
  '**/.mypy.ini',
  '**/pyrightconfig.json',
  '**/.flake8',
  '**/.pylintrc',
  '**/pylintrc',
  '**/.isort.cfg',
  '**/setup.cfg',
  '**/tox.ini',
  // files that run dependency commands (STD402)
  '**/Dockerfile',
  '**/Dockerfile.*',
  '**/*.Dockerfile',
  '**/*.dockerfile',
  '**/Containerfile',
  '**/.github/workflows/*.yml',
  '**/.github/workflows/*.yaml',
  '**/*.sh',
  '**/*.bash',
  '**/Makefile',
  '**/makefile',
  '**/GNUmakefile',
  '**/*.mk',
  // AWS Lambda templates that wire handlers to HTTP events (STD304)
  '**/template.yaml',
  '**/template.yml',
  '**/serverless.yml',
  '**/serverless.yaml',
];

/** The files' documents; matched by VS Code itself (fix-all on save). */
const TEXT_SELECTOR = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  ...FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
];

/** What the client sends the server: the files, and the Python cells of Jupyter notebooks. */
export const DOCUMENT_SELECTOR: DocumentSelector = [
  ...TEXT_SELECTOR,
  { notebook: 'jupyter-notebook', language: 'python' },
];

let client: LanguageClient | undefined;
let location: ServerLocation | undefined;
let output: vscode.LogOutputChannel;
let status: StatusItem;
let minimumVersion = '0.0.0';
// Starts and stops run one after the other, so two restarts can never leave two clients.
let queue: Promise<void> = Promise.resolve();
let restartQueued = false;
// The clients whose failure was already reported (a failed start may also close the connection).
const reported = new WeakSet<LanguageClient>();

function clientOptions(owner: () => LanguageClient | undefined): LanguageClientOptions {
  const firstFolder = vscode.workspace.workspaceFolders?.[0]?.uri;
  return {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
    // renameAfterExtract: this extension has the standardsLsp.renameAt command.
    initializationOptions: { ...serverSettings(firstFolder), renameAfterExtract: true },
    errorHandler: {
      error: (_error, _message, count) => ({
        action: (count ?? 0) <= MAX_CONNECTION_ERRORS ? ErrorAction.Continue : ErrorAction.Shutdown,
      }),
      // The server exited while we did not stop it: say so, do not restart it behind the user's back.
      closed: () => {
        const closing = owner();
        if (closing) {
          failed(closing, 'the server stopped unexpectedly');
        }
        return { action: CloseAction.DoNotRestart, handled: true };
      },
    },
    middleware: {
      workspace: {
        // Answer for our section with the documented shape (per folder when a scope is given);
        // other sections as VS Code has them.
        configuration: async (params, token, next) => {
          const answers = await next(params, token);
          if (!Array.isArray(answers)) {
            return answers;
          }
          return params.items.map((item, index) =>
            item.section === SECTION
              ? serverSettings(item.scopeUri ? vscode.Uri.parse(item.scopeUri) : undefined)
              : answers[index],
          );
        },
      },
    },
  };
}

/** A client failed (did not start, or died): the status item and a message say so, once. */
function failed(failing: LanguageClient, reason: string): void {
  if (reported.has(failing)) {
    return;
  }
  reported.add(failing);
  if (client === failing) {
    client = undefined;
  }
  status.set('error', reason);
  output.error(`${reason}; see the messages above. Restart with "Standards LSP: Restart Server".`);
  void vscode.window
    .showErrorMessage(`Standards LSP: ${reason}.`, SHOW_OUTPUT, RESTART)
    .then((choice) => {
      if (choice === SHOW_OUTPUT) {
        output.show(true);
      } else if (choice === RESTART) {
        void restart('asked by the user');
      }
    });
}

async function reportMissingServer(reason: string): Promise<void> {
  output.error(reason);
  const choice = await vscode.window.showErrorMessage(`Standards LSP: ${reason}`, OPEN_SETTING);
  if (choice === OPEN_SETTING) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
  }
}

async function startClient(): Promise<void> {
  status.set('starting');
  let found: ServerLocation;
  try {
    found = await findServer(vscode.workspace.isTrusted);
  } catch (error) {
    if (error instanceof ServerNotFound) {
      location = undefined;
      status.set('error', 'server not found');
      void reportMissingServer(error.message);
      return;
    }
    throw error;
  }
  output.info(`Starting ${found.command} serve (found via ${found.origin})`);
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  // No `transport`: with TransportKind.stdio the client would append `--stdio` to the arguments.
  const serverOptions: ServerOptions = {
    command: found.command,
    args: ['serve'],
    options: cwd ? { cwd } : {},
  };
  const starting: LanguageClient = new LanguageClient(
    CLIENT_ID,
    CLIENT_NAME,
    serverOptions,
    clientOptions(() => (client === starting ? starting : undefined)),
  );
  client = starting;
  location = found;
  starting.onDidChangeState(({ newState }) => {
    if (client === starting && newState === State.Stopped && status.state !== 'error') {
      status.set('stopped');
    }
  });
  try {
    await starting.start();
  } catch (error) {
    output.error(`The server did not start: ${String(error)}`);
    failed(starting, 'the server did not start');
    return;
  }
  if (client !== starting) {
    return; // it died while starting, already reported
  }
  const version = starting.initializeResult?.serverInfo?.version;
  if (!isAtLeast(version, minimumVersion)) {
    const reason = `the server at ${found.command} is version ${version ?? 'unknown'}; this extension needs ${minimumVersion} or newer`;
    reported.add(starting);
    client = undefined;
    await starting.stop().catch(() => undefined);
    status.set('error', `server ${version ?? 'unknown'} < ${minimumVersion}`);
    output.error(reason);
    void vscode.window.showErrorMessage(
      `Standards LSP: ${reason}. Upgrade it in the project: uv add --dev "standards-lsp>=${minimumVersion}".`,
      SHOW_OUTPUT,
    );
    return;
  }
  status.set('running', `${version}, via ${found.origin}`);
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    reported.add(running); // stopped on purpose: not a failure
    await running.stop().catch((error) => output.warn(`stopping the server: ${String(error)}`));
  }
  status.set('stopped');
}

/** Queue a restart after whatever start or stop is running; one queued restart serves all. */
function restart(reason: string): Promise<void> {
  if (restartQueued) {
    return queue;
  }
  restartQueued = true;
  queue = queue
    .then(async () => {
      restartQueued = false;
      output.info(`Restarting the server: ${reason}`);
      await stopClient();
      await startClient();
    })
    .catch((error) => {
      output.error(`Restart failed: ${String(error)}`);
      status.set('error', 'restart failed');
    });
  return queue;
}

/** A server appeared or went (a `.venv` created later): restart when another one would run. */
async function serverMayHaveMoved(): Promise<void> {
  let found: ServerLocation | undefined;
  try {
    found = await findServer(vscode.workspace.isTrusted);
  } catch {
    found = undefined;
  }
  if (found?.command !== location?.command || !client) {
    await restart(found ? `${found.command} is there now` : 'the server is gone');
  }
}

function notifySettingsChanged(): void {
  // No settings in the notification: the server asks with workspace/configuration, for the
  // window and for each folder (the folders' values differ in a multi-root workspace).
  void client?.sendNotification('workspace/didChangeConfiguration', { settings: null });
}

/** The edits of the server's `source.fixAll.standards` actions for `document`, resolved. */
async function fixAllEdits(document: vscode.TextDocument): Promise<vscode.WorkspaceEdit[]> {
  const wholeDocument = new vscode.Range(0, 0, document.lineCount, 0);
  const resolveAll = Number.MAX_SAFE_INTEGER;
  const actions =
    (await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      wholeDocument,
      FIX_ALL_KIND.value,
      resolveAll,
    )) ?? [];
  return actions
    .filter((action) => action.kind && FIX_ALL_KIND.contains(action.kind) && action.edit)
    .map((action) => action.edit as vscode.WorkspaceEdit);
}

async function fixAllInActiveEditor(): Promise<void> {
  const document = vscode.window.activeTextEditor?.document;
  if (!document) {
    return;
  }
  const edits = await fixAllEdits(document);
  if (edits.length === 0) {
    void vscode.window.setStatusBarMessage('Standards LSP: nothing to fix', 3000);
    return;
  }
  for (const edit of edits) {
    await vscode.workspace.applyEdit(edit);
  }
}

function fixAllBeforeSave(event: vscode.TextDocumentWillSaveEvent): void {
  const { document } = event;
  const manualSave = event.reason === vscode.TextDocumentSaveReason.Manual;
  if (!client || !manualSave || !fixAllOnSave(document.uri)) {
    return;
  }
  if (vscode.languages.match(TEXT_SELECTOR, document) === 0) {
    return;
  }
  event.waitUntil(
    fixAllEdits(document).then((edits) => edits.flatMap((edit) => edit.get(document.uri))),
  );
}

function isPosition(value: unknown): value is { line: number; character: number } {
  const candidate = value as { line?: unknown; character?: unknown } | null;
  return typeof candidate?.line === 'number' && typeof candidate.character === 'number';
}

/**
 * After "Extract to module constant" (the server sends this command with the action, because
 * `initializationOptions.renameAfterExtract` said we have it): the cursor onto the new
 * constant's name, and VS Code's rename, so the user types the name once. The command can run
 * before the action's edit reaches the editor (seen on a loaded machine: the rename started in
 * the old text, and the edit then moved the cursor and cancelled it), so when the server names
 * the constant, the rename waits until the document holds that name at the position.
 */
async function renameAt(uri: unknown, position: unknown, name?: unknown): Promise<void> {
  if (typeof uri !== 'string' || !isPosition(position)) {
    return;
  }
  const target = vscode.Uri.parse(uri);
  const at = new vscode.Position(position.line, position.character);
  const shown = vscode.window.visibleTextEditors.find((editor) => editor.document.uri.toString() === target.toString());
  const document = shown?.document ?? (await vscode.workspace.openTextDocument(target));
  if (typeof name === 'string' && !(await nameLands(document, at, name))) {
    return; // the edit never came (undone, or refused): nothing to rename
  }
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: shown?.viewColumn,
    selection: new vscode.Range(at, at),
    preserveFocus: false,
  });
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
  await vscode.commands.executeCommand('editor.action.rename');
}

/** Whether `document` holds `name` at `at`, now or within `NAME_WAIT_MS` of changes. */
function nameLands(document: vscode.TextDocument, at: vscode.Position, name: string): Promise<boolean> {
  const holds = (): boolean => document.getText(new vscode.Range(at, at.translate(0, name.length))) === name;
  if (holds()) {
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const done = (landed: boolean): void => {
      clearTimeout(timer);
      listener.dispose();
      resolve(landed);
    };
    const timer = setTimeout(() => done(false), NAME_WAIT_MS);
    const listener = vscode.workspace.onDidChangeTextDocument((event) => {
      if (event.document === document && holds()) {
        done(true);
      }
    });
  });
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  status = new StatusItem(SHOW_OUTPUT_COMMAND);
  minimumVersion = String(context.extension.packageJSON?.standardsLsp?.minimumServerVersion ?? minimumVersion);
  const venvServers = vscode.workspace.createFileSystemWatcher(`**/.venv/${VENV_BIN}/${EXECUTABLE}`);
  context.subscriptions.push(
    output,
    status,
    venvServers,
    venvServers.onDidCreate(() => void serverMayHaveMoved()),
    venvServers.onDidDelete(() => void serverMayHaveMoved()),
    vscode.commands.registerCommand('standardsLsp.restart', () => restart('asked by the user')),
    vscode.commands.registerCommand(SHOW_OUTPUT_COMMAND, () => output.show(true)),
    vscode.commands.registerCommand('standardsLsp.fixAll', fixAllInActiveEditor),
    vscode.commands.registerCommand(RENAME_AT_COMMAND, renameAt),
    vscode.workspace.onWillSaveTextDocument(fixAllBeforeSave),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (RESTART_SETTINGS.some((setting) => event.affectsConfiguration(setting))) {
        void restart('the server setting changed');
      } else if (event.affectsConfiguration(SECTION)) {
        notifySettingsChanged();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void serverMayHaveMoved()),
    vscode.workspace.onDidGrantWorkspaceTrust(() => void restart('the workspace is trusted')),
  );
  const interpreterWatch = await onInterpreterChanged(() => void restart('the selected Python interpreter changed'));
  if (interpreterWatch) {
    context.subscriptions.push(interpreterWatch);
  }
  await restart('activated');
}

export async function deactivate(): Promise<void> {
  await queue;
  await stopClient();
}
