import * as vscode from 'vscode';
import type { DestinationPreview } from '../preview';
import { isXml } from '../server';

/** The (domain, profile) pair a command acts on: the active domain and the profile chosen for it, or asked now. */
async function target(preview: DestinationPreview): Promise<{ source: vscode.TextDocument; profile: vscode.Uri } | undefined> {
  const active = vscode.window.activeTextEditor?.document;
  const source = isXml(active) ? active : undefined;
  if (!source) {
    void vscode.window.showInformationMessage('Migratable: open a libvirt domain XML file first.');
    return undefined;
  }
  const profile = preview.chosen.get(source.uri.toString()) ?? (await preview.pickProfile(source));
  if (!profile) return undefined;
  preview.chosen.set(source.uri.toString(), profile);
  return { source, profile };
}

const lastSaved = new Map<string, vscode.Uri>();

/** "Save Destination XML As…": the one place the destination is written, on the user's explicit choice. */
export async function saveDestinationAs(preview: DestinationPreview): Promise<vscode.Uri | undefined> {
  const t = await target(preview);
  if (!t) return undefined;
  const r = await preview.result(t.source.uri, t.profile);
  const suggested = vscode.Uri.file(t.source.uri.fsPath.replace(/\.xml$/i, '') + `.${r.profileName ?? 'dest'}.xml`);
  const uri = await vscode.window.showSaveDialog({
    defaultUri: suggested,
    filters: { 'libvirt domain XML': ['xml'] },
    title: 'Save Destination XML',
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(r.text, 'utf8'));
  lastSaved.set(`${t.source.uri}|${t.profile}`, uri);
  void vscode.window.showInformationMessage(
    `Migratable: destination XML saved to ${vscode.workspace.asRelativePath(uri)}${r.ok ? '' : ' (it still has problems: see the Problems panel)'}`,
  );
  return uri;
}

/** Single-quotes an argument for a POSIX shell when it needs it (the user pastes the command into a terminal). */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** "Copy virsh migrate Command": only copies; nothing is run. */
export async function copyMigrateCommand(preview: DestinationPreview): Promise<string | undefined> {
  const t = await target(preview);
  if (!t) return undefined;
  const r = await preview.result(t.source.uri, t.profile);
  const saved = lastSaved.get(`${t.source.uri}|${t.profile}`);
  const file = saved ? saved.fsPath : t.source.uri.fsPath.replace(/\.xml$/i, '') + `.${r.profileName ?? 'dest'}.xml`;
  const command = [
    'virsh',
    'migrate',
    '--live',
    '--persistent',
    '--undefinesource',
    '--xml',
    file,
    r.domainName ?? 'DOMAIN',
    r.destinationUri ?? 'qemu+ssh://HOST/system',
  ]
    .map(shellQuote)
    .join(' ');
  await vscode.env.clipboard.writeText(command);
  void vscode.window.showInformationMessage(
    `Migratable: copied  ${command}${saved ? '' : '  (save the destination XML to that file first)'}`,
  );
  return command;
}
