import * as vscode from 'vscode';

export type ServerState = 'starting' | 'running' | 'stopped' | 'error';

const ICONS: Record<ServerState, string> = {
  starting: '$(sync~spin)',
  running: '$(check)',
  stopped: '$(circle-slash)',
  error: '$(error)',
};

/** The status bar item: the server's state; a click shows the output. */
export class StatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  state: ServerState = 'stopped';

  constructor(showOutputCommand: string) {
    this.item = vscode.window.createStatusBarItem('standardsLsp.status', vscode.StatusBarAlignment.Right, 100);
    this.item.name = 'Standards LSP';
    this.item.command = showOutputCommand;
    this.set('stopped');
    this.item.show();
  }

  /** Shows `state`, with `detail` (the server's version, or what went wrong) in the tooltip. */
  set(state: ServerState, detail?: string): void {
    this.state = state;
    this.item.text = `${ICONS[state]} Standards LSP`;
    const label = `Standards LSP: ${state}${detail ? ` (${detail})` : ''}`;
    this.item.tooltip = `${label}. Click to show the output.`;
    this.item.accessibilityInformation = { label };
    this.item.backgroundColor =
      state === 'error' ? new vscode.ThemeColor('statusBarItem.errorBackground') : undefined;
  }

  dispose(): void {
    this.item.dispose();
  }
}
