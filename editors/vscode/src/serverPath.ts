import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { configuredServerPath } from './settings';

const EXECUTABLE = process.platform === 'win32' ? 'standards-lsp.exe' : 'standards-lsp';
const VENV_BIN = process.platform === 'win32' ? 'Scripts' : 'bin';

/** Where the server was found, so the output can say why that one was used. */
export interface ServerLocation {
  command: string;
  origin: 'setting' | 'workspace .venv' | 'PATH';
}

/** Why no server could be started; shown to the user with a button to the setting. */
export class ServerNotFound extends Error {}

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function inWorkspaceVenv(): string | undefined {
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    if (folder.uri.scheme !== 'file') {
      continue;
    }
    const candidate = path.join(folder.uri.fsPath, '.venv', VENV_BIN, EXECUTABLE);
    if (isExecutable(candidate)) {
      return candidate;
    }
  }
  return undefined;
}

function onPath(): string | undefined {
  // The extension host's PATH comes from a login shell, not from the window that started the
  // editor; that is why the setting and the workspace .venv are tried first.
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, EXECUTABLE))) {
      return path.join(dir, EXECUTABLE);
    }
  }
  return undefined;
}

/** The setting first (when set), then the workspace's .venv, then PATH. */
export function findServer(): ServerLocation {
  const configured = configuredServerPath();
  if (configured) {
    if (!path.isAbsolute(configured) || !isExecutable(configured)) {
      throw new ServerNotFound(
        `standardsLsp.server.path is "${configured}", which is not an absolute path to an executable.`,
      );
    }
    return { command: configured, origin: 'setting' };
  }
  const venv = inWorkspaceVenv();
  if (venv) {
    return { command: venv, origin: 'workspace .venv' };
  }
  const found = onPath();
  if (found) {
    return { command: found, origin: 'PATH' };
  }
  throw new ServerNotFound(
    'standards-lsp was not found in the workspace .venv nor on PATH. Install it (uv add --dev standards-lsp) or set standardsLsp.server.path.',
  );
}
