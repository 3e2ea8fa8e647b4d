import * as vscode from 'vscode';
import { isXml, type ServerApi } from '../server';

function activeDomainEditor(): vscode.TextEditor | undefined {
  const editor = vscode.window.activeTextEditor;
  if (isXml(editor?.document)) return editor;
  void vscode.window.showInformationMessage('Migratable: open a libvirt domain XML file first.');
  return undefined;
}

/** "Make Domain Migratable": every safe fix as one edit (one undo step), then what changed and what is left. */
export async function makeMigratable(
  api: ServerApi,
): Promise<{ applied: boolean; summary: string[]; remaining: string[] } | undefined> {
  const editor = activeDomainEditor();
  if (!editor) return undefined;
  const document = editor.document;
  const r = await api.fixAll(document);
  if (!r) return undefined;
  if (r.edits.length === 0) {
    const message = r.remaining.length
      ? `Migratable: no safe fix to apply. Left to fix by hand: ${r.remaining.join('; ')}`
      : 'Migratable: nothing to do — this domain has no problem a fix can solve.';
    void vscode.window.showInformationMessage(message);
    return { applied: false, summary: [], remaining: r.remaining };
  }
  if (document.version !== r.version) {
    void vscode.window.showWarningMessage(
      'Migratable: the document changed while the fixes were computed; run the command again.',
    );
    return { applied: false, summary: [], remaining: r.remaining };
  }
  const edit = new vscode.WorkspaceEdit();
  edit.set(
    document.uri,
    r.edits.map(
      (e) =>
        new vscode.TextEdit(
          new vscode.Range(e.range.start.line, e.range.start.character, e.range.end.line, e.range.end.character),
          e.newText,
        ),
    ),
  );
  const applied = await vscode.workspace.applyEdit(edit);
  const left = r.remaining.length ? ` Left to fix by hand: ${r.remaining.join('; ')}` : '';
  void vscode.window.showInformationMessage(
    `Migratable: ${r.summary.length} fix${r.summary.length === 1 ? '' : 'es'} applied: ${r.summary.join('; ')}.${left}`,
  );
  return { applied, summary: r.summary, remaining: r.remaining };
}

/** "Insert Teaming Pair" at the cursor, as a snippet: tab through the VF's host PCI address. */
export async function insertTeamingPair(api: ServerApi): Promise<void> {
  const editor = activeDomainEditor();
  if (!editor) return;
  const snippet = await api.teamingPairSnippet(editor.document, editor.selection.active);
  if (snippet) await editor.insertSnippet(new vscode.SnippetString(snippet));
}

/** "Generate MAC Address": a fresh unicast MAC, unused in the document, at every cursor. */
export async function insertGeneratedMac(api: ServerApi): Promise<void> {
  const editor = activeDomainEditor();
  if (!editor) return;
  const selections = editor.selections;
  const macs: string[] = [];
  for (let i = 0; i < selections.length; i++) {
    let mac = await api.generateMac(editor.document);
    while (mac && macs.includes(mac)) mac = await api.generateMac(editor.document);
    if (mac) macs.push(mac);
  }
  await editor.edit((b) => selections.forEach((s, i) => macs[i] && b.replace(s, macs[i])));
}
