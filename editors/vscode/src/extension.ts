import * as vscode from 'vscode';
import {
  LanguageClient,
  type LanguageClientOptions,
  type DocumentSelector,
  type ServerOptions,
} from 'vscode-languageclient/node';
import { findServer, ServerNotFound } from './serverPath';
import { fixAllOnSave, SECTION, serverSettings } from './settings';

const CLIENT_ID = SECTION; // the client reads `${CLIENT_ID}.trace.server` by itself
const CLIENT_NAME = 'Standards LSP';
const FIX_ALL_KIND = vscode.CodeActionKind.SourceFixAll.append('standards');
const OPEN_SETTING = 'Open Setting';

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

export const DOCUMENT_SELECTOR: DocumentSelector = [
  { scheme: 'file', language: 'python' },
  { scheme: 'untitled', language: 'python' },
  ...FILE_PATTERNS.map((pattern) => ({ scheme: 'file', pattern })),
];

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel;

function clientOptions(): LanguageClientOptions {
  return {
    documentSelector: DOCUMENT_SELECTOR,
    outputChannel: output,
    traceOutputChannel: output,
    initializationOptions: serverSettings(),
    middleware: {
      workspace: {
        // Answer for our section with the documented shape; other sections as VS Code has them.
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

async function reportMissingServer(reason: string): Promise<void> {
  output.error(reason);
  const choice = await vscode.window.showErrorMessage(`Standards LSP: ${reason}`, OPEN_SETTING);
  if (choice === OPEN_SETTING) {
    await vscode.commands.executeCommand('workbench.action.openSettings', `${SECTION}.server.path`);
  }
}

async function startClient(): Promise<void> {
  let location;
  try {
    location = findServer();
  } catch (error) {
    if (error instanceof ServerNotFound) {
      void reportMissingServer(error.message);
      return;
    }
    throw error;
  }
  output.info(`Starting ${location.command} serve (found via ${location.origin})`);
  const cwd = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  // No `transport`: with TransportKind.stdio the client would append `--stdio` to the arguments.
  const serverOptions: ServerOptions = {
    command: location.command,
    args: ['serve'],
    options: cwd ? { cwd } : {},
  };
  client = new LanguageClient(CLIENT_ID, CLIENT_NAME, serverOptions, clientOptions());
  await client.start();
}

async function stopClient(): Promise<void> {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

async function restartClient(): Promise<void> {
  await stopClient();
  await startClient();
}

function notifySettingsChanged(): void {
  void client?.sendNotification('workspace/didChangeConfiguration', {
    settings: { [SECTION]: serverSettings() },
  });
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
  if (vscode.languages.match(DOCUMENT_SELECTOR as vscode.DocumentSelector, document) === 0) {
    return;
  }
  event.waitUntil(
    fixAllEdits(document).then((edits) => edits.flatMap((edit) => edit.get(document.uri))),
  );
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel(CLIENT_NAME, { log: true });
  context.subscriptions.push(
    output,
    vscode.commands.registerCommand('standardsLsp.restart', restartClient),
    vscode.commands.registerCommand('standardsLsp.showOutput', () => output.show(true)),
    vscode.commands.registerCommand('standardsLsp.fixAll', fixAllInActiveEditor),
    vscode.workspace.onWillSaveTextDocument(fixAllBeforeSave),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (event.affectsConfiguration(`${SECTION}.server.path`)) {
        void restartClient();
      } else if (event.affectsConfiguration(SECTION)) {
        notifySettingsChanged();
      }
    }),
    vscode.workspace.onDidChangeWorkspaceFolders(() => {
      // A folder with its own .venv may have been added.
      if (!client) {
        void startClient();
      }
    }),
  );
  await startClient();
}

export async function deactivate(): Promise<void> {
  await stopClient();
}
