import * as vscode from 'vscode';

/** The configuration section the extension owns and the server reads. */
export const SECTION = 'standardsLsp';

/** The tiers the server accepts as an override; anything else means "no override". */
const TIERS = new Set(['production', 'internal', 'prototype']);
const LOG_LEVELS = new Set(['error', 'warning', 'info', 'debug']);

/**
 * What the server is told, in `initializationOptions`, in answers to `workspace/configuration`
 * for the `standardsLsp` section (for the window, or for one workspace folder's `scopeUri`).
 * Editor-only settings (server path, interpreter, fix-all on save, trace) stay in the extension.
 */
export interface ServerSettings {
  tier: string | null;
  select: string[];
  ignore: string[];
  workspaceDiagnostics: boolean;
  logLevel: string | null;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/**
 * The settings that apply to `scope` (a document or folder URI; none for the window). Settings
 * with the `resource` scope (tier, select, ignore) may differ per folder; the others are read
 * for the window whatever the scope.
 */
export function serverSettings(scope?: vscode.Uri): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  const window = vscode.workspace.getConfiguration(SECTION, null);
  const tier = config.get<string>('tier', '');
  const logLevel = window.get<string>('logLevel', '');
  return {
    tier: TIERS.has(tier) ? tier : null,
    select: stringList(config.get('select')),
    ignore: stringList(config.get('ignore')),
    workspaceDiagnostics: window.get<boolean>('workspaceDiagnostics', false),
    logLevel: LOG_LEVELS.has(logLevel) ? logLevel : null,
  };
}

export function fixAllOnSave(scope: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SECTION, scope).get<boolean>('fixAllOnSave', false);
}

/**
 * `standardsLsp.server.path` for `folder` (resource-scoped: a folder may set its own). In
 * Restricted Mode VS Code gives only the user's value: the setting is declared restricted.
 */
export function configuredServerPath(folder?: vscode.WorkspaceFolder): string {
  return vscode.workspace.getConfiguration(SECTION, folder ?? null).get<string>('server.path', '').trim();
}

/** `standardsLsp.interpreter` for `folder` (restricted like the server path). */
export function configuredInterpreter(folder?: vscode.WorkspaceFolder): string {
  return vscode.workspace.getConfiguration(SECTION, folder ?? null).get<string>('interpreter', '').trim();
}

/** The settings whose change means another server must be started. */
export const RESTART_SETTINGS = [`${SECTION}.server.path`, `${SECTION}.interpreter`];
