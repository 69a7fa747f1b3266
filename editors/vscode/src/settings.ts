import * as vscode from 'vscode';

/** The configuration section the extension owns and the server reads. */
export const SECTION = 'standardsLsp';

/** The tiers the server accepts as an override; anything else means "no override". */
const TIERS = new Set(['production', 'internal', 'prototype']);

/**
 * What the server is told, in `initializationOptions`, in answers to `workspace/configuration`
 * for the `standardsLsp` section, and in `workspace/didChangeConfiguration`
 * (as `{ settings: { standardsLsp: ServerSettings } }`).
 * Editor-only settings (server path, fix-all on save, trace) stay in the extension.
 */
export interface ServerSettings {
  tier: string | null;
  select: string[];
  ignore: string[];
  workspaceDiagnostics: boolean;
}

function stringList(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];
}

/** The settings that apply to `scope` (a document or folder URI; none for the window). */
export function serverSettings(scope?: vscode.Uri): ServerSettings {
  const config = vscode.workspace.getConfiguration(SECTION, scope ?? null);
  const tier = config.get<string>('tier', '');
  return {
    tier: TIERS.has(tier) ? tier : null,
    select: stringList(config.get('select')),
    ignore: stringList(config.get('ignore')),
    workspaceDiagnostics: config.get<boolean>('workspaceDiagnostics', false),
  };
}

export function fixAllOnSave(scope: vscode.Uri): boolean {
  return vscode.workspace.getConfiguration(SECTION, scope).get<boolean>('fixAllOnSave', false);
}

export function configuredServerPath(): string {
  return vscode.workspace.getConfiguration(SECTION).get<string>('server.path', '').trim();
}
