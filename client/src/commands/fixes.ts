import * as vscode from 'vscode';
import { noDomain, type DomainDocuments } from '../domains';
import type { Notifier } from '../notify';
import type { ServerApi } from '../server';

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** "Make Domain Migratable": every safe fix as one edit (one undo step), then what changed and what is left. */
export async function makeMigratable(
  api: ServerApi,
  domains: DomainDocuments,
  notifier: Notifier,
): Promise<{ applied: boolean; summary: string[]; remaining: string[] } | undefined> {
  const document = domains.current();
  if (!document) {
    noDomain();
    return undefined;
  }
  const r = await api.fixAll(document);
  if (!r) return undefined;
  const left = r.remaining.map((x) => `left to fix by hand: ${x}`);
  if (r.edits.length === 0) {
    void notifier.show(
      'info',
      r.remaining.length
        ? `no safe fix to apply; ${plural(r.remaining.length, 'problem')} left to fix by hand.`
        : 'nothing to do — this domain has no problem a fix can solve.',
      left,
    );
    return { applied: false, summary: [], remaining: r.remaining };
  }
  if (document.version !== r.version) {
    void notifier.show('warning', 'the document changed while the fixes were computed; run the command again.');
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
  void notifier.show(
    'info',
    `${plural(r.summary.length, 'fix', 'fixes')} applied${r.remaining.length ? `, ${plural(r.remaining.length, 'problem')} left to fix by hand` : ''}.`,
    [...r.summary.map((x) => `fixed: ${x}`), ...left],
  );
  return { applied, summary: r.summary, remaining: r.remaining };
}

/** "Insert Teaming Pair" at the cursor, as a snippet: tab through the VF's host PCI address. */
export async function insertTeamingPair(api: ServerApi, domains: DomainDocuments): Promise<void> {
  const editor = await domains.editor();
  if (!editor) return noDomain();
  const snippet = await api.teamingPairSnippet(editor.document, editor.selection.active);
  if (snippet) await editor.insertSnippet(new vscode.SnippetString(snippet));
}

/** "Generate MAC Address": a fresh unicast MAC, unused in the document, at every cursor. */
export async function insertGeneratedMac(api: ServerApi, domains: DomainDocuments): Promise<void> {
  const editor = await domains.editor();
  if (!editor) return noDomain();
  const selections = editor.selections;
  const macs: string[] = [];
  for (let i = 0; i < selections.length; i++) {
    let mac = await api.generateMac(editor.document);
    while (mac && macs.includes(mac)) mac = await api.generateMac(editor.document);
    if (mac) macs.push(mac);
  }
  await editor.edit((b) => selections.forEach((s, i) => macs[i] && b.replace(s, macs[i])));
}
