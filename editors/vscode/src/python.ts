// The Python extension's environments API (ms-python.python), used when it is installed: the
// interpreter the user selected for a folder, and an event when that selection changes. Only
// the few members used here are declared, so the extension needs no dependency on it.
import * as vscode from 'vscode';

const PYTHON_EXTENSION = 'ms-python.python';

interface EnvironmentPath {
  readonly id: string;
  readonly path: string;
}

interface ResolvedEnvironment {
  readonly executable: { readonly uri: vscode.Uri | undefined };
}

interface ActiveEnvironmentPathChangeEvent {
  readonly path: string;
  readonly resource: vscode.WorkspaceFolder | vscode.Uri | undefined;
}

interface Environments {
  getActiveEnvironmentPath(resource?: vscode.Uri | vscode.WorkspaceFolder): EnvironmentPath;
  resolveEnvironment(environment: EnvironmentPath | string): Promise<ResolvedEnvironment | undefined>;
  readonly onDidChangeActiveEnvironmentPath: vscode.Event<ActiveEnvironmentPathChangeEvent>;
}

interface PythonExtensionApi {
  readonly environments?: Environments;
}

async function environments(): Promise<Environments | undefined> {
  const extension = vscode.extensions.getExtension<PythonExtensionApi>(PYTHON_EXTENSION);
  if (!extension) {
    return undefined;
  }
  try {
    const api = extension.isActive ? extension.exports : await extension.activate();
    return api?.environments;
  } catch {
    return undefined; // an older or broken Python extension: do without it
  }
}

/** The executable of the interpreter selected in the Python extension for `folder`, if any. */
export async function selectedInterpreter(folder?: vscode.WorkspaceFolder): Promise<string | undefined> {
  const api = await environments();
  if (!api) {
    return undefined;
  }
  try {
    const resolved = await api.resolveEnvironment(api.getActiveEnvironmentPath(folder));
    return resolved?.executable.uri?.fsPath;
  } catch {
    return undefined;
  }
}

/** Calls `listener` when the selected interpreter changes (nothing without the extension). */
export async function onInterpreterChanged(listener: () => void): Promise<vscode.Disposable | undefined> {
  const api = await environments();
  return api?.onDidChangeActiveEnvironmentPath(() => listener());
}
