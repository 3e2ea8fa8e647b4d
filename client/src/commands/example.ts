import * as vscode from 'vscode';

/** Opens the broken example as an untitled copy: the walkthrough's playground, and nothing on disk changes. */
export async function openExample(extensionUri: vscode.Uri): Promise<vscode.TextEditor> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(extensionUri, 'examples', 'broken.xml'));
  const document = await vscode.workspace.openTextDocument({ language: 'xml', content: Buffer.from(bytes).toString('utf8') });
  return vscode.window.showTextDocument(document);
}
