import * as vscode from 'vscode';
import type { ServerApi } from './server';

/**
 * "Create a profile…": a destination profile prefilled with this domain's host-specific values, written as
 * NAME.migration.json (NAME asked for) in the domain's workspace folder, else next to the file, else where a save
 * dialog says; never over an existing profile without asking.
 */
export async function createProfile(api: ServerApi, source: vscode.TextDocument): Promise<vscode.Uri | undefined> {
  const folder =
    vscode.workspace.getWorkspaceFolder(source.uri)?.uri ??
    (source.uri.scheme === 'file' ? vscode.Uri.joinPath(source.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri);
  const name = await vscode.window.showInputBox({
    prompt: 'Destination host name',
    value: 'host-b',
    validateInput: (v) => (/^[\w.-]+$/.test(v) ? undefined : 'letters, digits, . _ -'),
  });
  if (!name) return undefined;
  const uri = folder
    ? vscode.Uri.joinPath(folder, `${name}.migration.json`)
    : await vscode.window.showSaveDialog({ title: 'Save the destination profile', filters: { JSON: ['json'] } });
  if (!uri) return undefined;
  if (await exists(uri)) {
    const open = 'Open the Existing Profile';
    const replace = 'Replace It';
    const choice = await vscode.window.showWarningMessage(
      `${vscode.workspace.asRelativePath(uri)} already exists.`,
      { modal: true, detail: 'Replacing it loses its mappings. Open it to use or edit it instead.' },
      open,
      replace,
    );
    if (choice === open) {
      await vscode.window.showTextDocument(uri, { preview: false });
      return uri;
    }
    if (choice !== replace) return undefined;
  }
  const template = await api.profileTemplate(source, name);
  if (template === null) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(template, 'utf8'));
  await vscode.window.showTextDocument(uri, { preview: false });
  return uri;
}

/** Whether a file exists (any file system VS Code knows). */
export async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}
