import * as vscode from 'vscode';

/** A button of a notification and what it does. */
export interface NotifyAction {
  title: string;
  run: () => unknown;
}

/**
 * A notification that fits: VS Code shows a toast's message on one line and cuts the rest, so the message is a short
 * summary and the details go to the output channel, one line each, with a button that opens it.
 */
export class Notifier {
  constructor(private readonly output: vscode.LogOutputChannel) {}

  /** Shows `summary` (one short sentence); `details` are written to the output channel first. */
  async show(
    level: 'info' | 'warning',
    summary: string,
    details: string[] = [],
    actions: NotifyAction[] = [],
  ): Promise<string | undefined> {
    if (details.length) {
      this.output.info(summary);
      for (const d of details) this.output.info(`  ${d}`);
    }
    const buttons = [...actions];
    if (details.length) buttons.push({ title: 'Show Details', run: () => this.output.show(true) });
    const show = level === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    const picked = await show(`Migratable: ${summary}`, ...buttons.map((b) => b.title));
    await buttons.find((b) => b.title === picked)?.run();
    return picked;
  }
}
