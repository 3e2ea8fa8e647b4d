import * as vscode from 'vscode';
import { isXml } from './server';

/**
 * Which domain a command acts on. Usually the active editor's; but a command run from the walkthrough, the readiness
 * report or a notification has no active text editor (a webview has the focus), and then it acts on the domain
 * editor used last that is still open — typically the example the walkthrough opened beside it.
 */
export class DomainDocuments implements vscode.Disposable {
  private recent: vscode.Uri[] = [];
  private readonly subscription: vscode.Disposable;

  /** `sourceOf` maps a document that stands for a domain (the destination preview) to that domain's uri. */
  constructor(private readonly sourceOf: (uri: vscode.Uri) => vscode.Uri | undefined = () => undefined) {
    this.subscription = vscode.window.onDidChangeActiveTextEditor((e) => this.used(e?.document));
    this.used(vscode.window.activeTextEditor?.document);
  }

  /** Remembers a domain document as the latest one used (the walkthrough's example counts as used). */
  used(document: vscode.TextDocument | undefined): void {
    if (!isXml(document)) return;
    const key = document.uri.toString();
    this.recent = [document.uri, ...this.recent.filter((u) => u.toString() !== key)].slice(0, 20);
  }

  /** The active XML document (or the domain of an active preview); else the latest one used still open. */
  current(): vscode.TextDocument | undefined {
    const editor = vscode.window.activeTextEditor;
    const activeUri = editor?.document.uri;
    if (isXml(editor?.document)) return editor.document;
    const open = new Map(vscode.workspace.textDocuments.filter((d) => !d.isClosed).map((d) => [d.uri.toString(), d]));
    const source = activeUri && this.sourceOf(activeUri);
    for (const uri of source ? [source, ...this.recent] : this.recent) {
      const d = open.get(uri.toString());
      if (isXml(d)) return d;
    }
    return undefined;
  }

  /** An editor on the current domain: the active one, a visible one, or the document shown again. */
  async editor(): Promise<vscode.TextEditor | undefined> {
    const document = this.current();
    if (!document) return undefined;
    const active = vscode.window.activeTextEditor;
    if (active?.document === document) return active;
    const visible = vscode.window.visibleTextEditors.find((e) => e.document === document);
    return visible ?? vscode.window.showTextDocument(document, { preview: false });
  }

  dispose(): void {
    this.subscription.dispose();
  }
}

/** What every domain command says when there is none to act on. */
export function noDomain(): void {
  void vscode.window.showInformationMessage('Migratable: open a libvirt domain XML file first.');
}
