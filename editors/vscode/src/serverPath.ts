import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { selectedInterpreter } from './python';
import { configuredInterpreter, configuredServerPath } from './settings';

export const EXECUTABLE = process.platform === 'win32' ? 'standards-lsp.exe' : 'standards-lsp';
export const VENV_BIN = process.platform === 'win32' ? 'Scripts' : 'bin';

/** Where the server was found, so the output can say why that one was used. */
export interface ServerLocation {
  command: string;
  origin: 'setting' | 'interpreter setting' | 'selected interpreter' | 'workspace .venv' | 'PATH';
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

/** The server next to an interpreter (`<env>/bin/python` -> `<env>/bin/standards-lsp`). */
function besideInterpreter(interpreter: string | undefined): string | undefined {
  if (!interpreter) {
    return undefined;
  }
  const candidate = path.join(path.dirname(interpreter), EXECUTABLE);
  return isExecutable(candidate) ? candidate : undefined;
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
  // editor; that is why the setting and the workspace's environments are tried first.
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, EXECUTABLE))) {
      return path.join(dir, EXECUTABLE);
    }
  }
  return undefined;
}

/**
 * The server to run, for the first workspace folder: the `standardsLsp.server.path` setting;
 * the `standardsLsp.interpreter` setting's environment; the interpreter selected in the Python
 * extension; the workspace's `.venv`; `PATH`. In Restricted Mode (`trusted` false) nothing the
 * workspace controls is used: VS Code gives only the user's values of the two settings, and
 * the selected interpreter and the `.venv` are skipped.
 */
export async function findServer(trusted: boolean): Promise<ServerLocation> {
  const folder = vscode.workspace.workspaceFolders?.[0];
  const configured = configuredServerPath(folder);
  if (configured) {
    if (!path.isAbsolute(configured) || !isExecutable(configured)) {
      throw new ServerNotFound(
        `standardsLsp.server.path is "${configured}", which is not an absolute path to an executable.`,
      );
    }
    return { command: configured, origin: 'setting' };
  }
  const interpreter = configuredInterpreter(folder);
  if (interpreter) {
    const beside = besideInterpreter(interpreter);
    if (!beside) {
      throw new ServerNotFound(
        `standardsLsp.interpreter is "${interpreter}", but there is no ${EXECUTABLE} next to it. Install it in that environment (uv add --dev standards-lsp).`,
      );
    }
    return { command: beside, origin: 'interpreter setting' };
  }
  if (trusted) {
    const selected = besideInterpreter(await selectedInterpreter(folder));
    if (selected) {
      return { command: selected, origin: 'selected interpreter' };
    }
    const venv = inWorkspaceVenv();
    if (venv) {
      return { command: venv, origin: 'workspace .venv' };
    }
  }
  const found = onPath();
  if (found) {
    return { command: found, origin: 'PATH' };
  }
  const where = trusted
    ? 'in the selected interpreter, the workspace .venv nor on PATH'
    : 'on PATH (Restricted Mode: the workspace .venv is not used until you trust the workspace)';
  throw new ServerNotFound(
    `standards-lsp was not found ${where}. Install it (uv add --dev standards-lsp) or set standardsLsp.server.path.`,
  );
}
