import * as vscode from 'vscode';
import { Commands } from '../../server/src/protocol';
import type { DestinationPreview } from './preview';
import { isXml, type ServerApi } from './server';

const IS_DOMAIN_CONTEXT = 'migratable.isDomain';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

/**
 * "Migratable ✓" or "N blockers" for the active domain XML (or the domain of an active destination preview); hidden
 * elsewhere. While a destination preview of the domain is open, its errors count too ("host-b: 1 problem"): the
 * status bar, the report and the Problems panel say the same. Also sets the `migratable.isDomain` context key that
 * the menus' `when` clauses use.
 */
export class ReadinessStatus implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('migratable.status', vscode.StatusBarAlignment.Left, 100);
  private readonly disposables: vscode.Disposable[] = [this.item];

  private generation = 0;
  private visible = false;
  private readonly updated = new vscode.EventEmitter<void>();
  /** Fires when a refresh has set the item (tests wait on it). */
  readonly onDidUpdate = this.updated.event;

  constructor(
    private readonly api: ServerApi,
    private readonly preview: DestinationPreview,
  ) {
    this.item.name = 'Migratable Domains';
    this.item.command = Commands.showReport;
    this.disposables.push(
      vscode.window.onDidChangeActiveTextEditor(() => this.refresh()),
      vscode.languages.onDidChangeDiagnostics((e) => {
        const shown = this.document()?.uri.toString();
        if (shown && e.uris.some((u) => u.toString() === shown)) void this.refresh();
      }),
      preview.onDidChangeProblems(() => this.refresh()),
    );
    void this.refresh();
  }

  /** The domain the item is about: the active XML document, or the domain of the active destination preview. */
  private document(): vscode.TextDocument | undefined {
    const editor = vscode.window.activeTextEditor;
    const activeUri = editor?.document.uri;
    if (isXml(editor?.document)) return editor.document;
    const source = activeUri && this.preview.sourceOf(activeUri)?.toString();
    return source ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === source) : undefined;
  }

  async refresh(): Promise<void> {
    const generation = ++this.generation;
    const document = this.document();
    const r = document ? await this.api.readiness(document).catch(() => null) : null;
    if (generation !== this.generation) return; // a newer refresh is under way
    const isDomain = !!r?.isDomain && isXml(vscode.window.activeTextEditor?.document);
    void vscode.commands.executeCommand('setContext', IS_DOMAIN_CONTEXT, isDomain);
    if (!r?.isDomain || !document) {
      this.item.hide();
      this.visible = false;
      this.updated.fire();
      return;
    }
    const n = r.blockers.length;
    const name = r.name ?? 'This domain';
    const destinations = this.preview
      .problemsOf(document.uri)
      .map((d) => ({ ...d, errors: d.problems.filter((p) => p.severity === vscode.DiagnosticSeverity.Error).length }))
      .filter((d) => d.errors > 0);
    const destErrors = destinations.reduce((s, d) => s + d.errors, 0);
    const destText = destinations.map((d) => `${d.profileName}: ${plural(d.errors, 'problem')}`).join(', ');
    if (n > 0) this.item.text = `$(warning) ${plural(n, 'blocker')}${destErrors ? ` · ${destText}` : ''}`;
    else this.item.text = destErrors ? `$(warning) ${destText}` : '$(check) Migratable';
    const domainLine =
      n === 0
        ? `${name}: no migration blockers (${plural(r.pairs.length, 'teaming pair')}).`
        : `${name}: ${plural(n, 'problem')} block${n === 1 ? 's' : ''} live migration.`;
    const destLine = destErrors ? ` The destination XML is not ready (${destText}): see the Problems panel.` : '';
    this.item.tooltip = `${domainLine}${destLine} Click for the readiness report.`;
    this.item.backgroundColor = n === 0 && !destErrors ? undefined : new vscode.ThemeColor('statusBarItem.warningBackground');
    this.item.show();
    this.visible = true;
    this.updated.fire();
  }

  /** For tests: the item's current text, or undefined when hidden. */
  get text(): string | undefined {
    return this.visible ? this.item.text : undefined;
  }

  /** For tests: the item's current tooltip. */
  get tooltip(): string | undefined {
    return this.visible ? String(this.item.tooltip) : undefined;
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.updated.dispose();
  }
}
