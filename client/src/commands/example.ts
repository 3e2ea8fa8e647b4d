import * as vscode from 'vscode';
import type { DomainDocuments } from '../domains';

/**
 * Opens the broken example as an untitled copy: the walkthrough's playground, and nothing on disk changes. Run from
 * the walkthrough (no text editor has the focus), it opens beside it, and the walkthrough's next steps act on it.
 */
export async function openExample(extensionUri: vscode.Uri, domains: DomainDocuments): Promise<vscode.TextEditor> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', 'broken.xml'));
  const document = await vscode.workspace.openTextDocument({ language: 'xml', content: Buffer.from(bytes).toString('utf8') });
  const fromWebview = !vscode.window.activeTextEditor && vscode.window.tabGroups.activeTabGroup.activeTab !== undefined;
  const editor = await vscode.window.showTextDocument(document, {
    viewColumn: fromWebview ? vscode.ViewColumn.Beside : vscode.ViewColumn.Active,
    preview: false,
  });
  domains.used(document);
  return editor;
}
