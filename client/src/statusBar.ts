import * as vscode from 'vscode';
import { Commands } from '../../server/src/protocol';
import { isXml, type ServerApi } from './server';

const IS_DOMAIN_CONTEXT = 'migratable.isDomain';

/**
 * "Migratable ✓" or "N blockers" for the active domain XML; hidden elsewhere. Also sets the
 * `migratable.isDomain` context key that the menus' `when` clauses use.
 */
export class ReadinessStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('migratable.status', vscode.StatusBarAlignment.Left, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];

  private generation = 0;
  private visible = false;
  private readonly updated = new vscode.EventEmitter<void>();
  /** Fires when a refresh has set the item (tests wait on it). */
  readonly onDidUpdate = this.updated.event;

  constructor(private readonly api: ServerApi) {
    this.item.name = 'Migratable Domains';
    this.item.command = Commands.showReport;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const active = vscode.window.activeTextEditor?.document.uri.toString();
        if (active && e.uris.some((u) => u.toString() === active)) this.refresh();
      }),
    );
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const document = vscode.window.activeTextEditor?.document;
    const r = isXml(document) ? await this.api.readiness(document).catch(() => null) : null;
    if (generation !== this.generation) return; // a newer refresh is under way
    void vscode.commands.executeCommand('setContext', IS_DOMAIN_CONTEXT, !!r?.isDomain);
    if (!r?.isDomain) {
      this.item.hide();
      this.visible = false;
      this.updated.fire();
      return;
    }
    const n = r.blockers.length;
    this.item.text = n === 0 ? '$(check) Migratable' : `$(warning) ${n} blocker${n === 1 ? '' : 's'}`;
    this.item.tooltip =
      n === 0
        ? `${r.name ?? 'This domain'}: no migration blockers (${r.pairs.length} teaming pair${r.pairs.length === 1 ? '' : 's'}). Click for the readiness report.`
        : `${r.name ?? 'This domain'}: ${n} problem${n === 1 ? '' : 's'} block live migration. Click for the readiness report.`;
    this.item.backgroundColor = n === 0 ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
    this.visible = true;
    this.updated.fire();
  }

  /** For tests: the item's current text, or undefined when hidden. */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.updated.dispose();
  }
}
