import * as vscode from 'vscode';
import type { RewriteResponse } from '../../../server/src/protocol';
import { noDomain, type DomainDocuments } from '../domains';
import type { Notifier } from '../notify';
import type { DestinationPreview } from '../preview';

interface Target {
  source: vscode.TextDocument;
  profile: vscode.Uri;
  result: RewriteResponse;
}

/**
 * The (domain, profile) pair a command acts on: the preview it was run from (its title bar passes the preview's
 * uri; the palette, the focused diff), else the current domain and the profile chosen for it, or asked now.
 */
async function target(preview: DestinationPreview, domains: DomainDocuments, arg: unknown): Promise<Target | undefined> {
  const active = vscode.window.activeTextEditor?.document.uri;
  const from = (arg instanceof vscode.Uri ? preview.pairOf(arg) : undefined) ?? (active && preview.pairOf(active));
  const source = from
    ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === from.source.toString() && !d.isClosed)
    : domains.current();
  if (!source) {
    noDomain();
    return undefined;
  }
  const profile = from?.profile ?? preview.chosen.get(source.uri.toString()) ?? (await preview.pickProfile(source));
  if (!profile) return undefined;
  preview.chosen.set(source.uri.toString(), profile);
  const result = await preview.result(source.uri, profile);
  if (!result) {
    noDomain();
    return undefined;
  }
  return { source, profile, result };
}

const lastSaved = new Map<string, vscode.Uri>();

/** The file name offered for the destination XML: `web1.host-b.xml` beside the domain. */
function suggestedFile(t: Target): vscode.Uri {
  const name = `${t.source.uri.path
    .split('/')
    .pop()!
    .replace(/\.xml$/i, '')}.${t.result.profileName ?? 'dest'}.xml`;
  const folder =
    t.source.uri.scheme === 'file' ? vscode.Uri.joinPath(t.source.uri, '..') : vscode.workspace.workspaceFolders?.[0]?.uri;
  return folder ? vscode.Uri.joinPath(folder, name) : vscode.Uri.file(name);
}

/** "Save Destination XML As…": the one place the destination is written, on the user's explicit choice. */
export async function saveDestinationAs(
  preview: DestinationPreview,
  domains: DomainDocuments,
  notifier: Notifier,
  arg?: unknown,
): Promise<vscode.Uri | undefined> {
  const t = await target(preview, domains, arg);
  if (!t) return undefined;
  const uri = await vscode.window.showSaveDialog({
    defaultUri: suggestedFile(t),
    filters: { 'libvirt domain XML': ['xml'] },
    title: 'Save Destination XML',
  });
  if (!uri) return undefined;
  await vscode.workspace.fs.writeFile(uri, Buffer.from(t.result.text, 'utf8'));
  lastSaved.set(`${t.source.uri}|${t.profile}`, uri);
  void notifier.show(
    'info',
    `destination XML saved to ${vscode.workspace.asRelativePath(uri)}${t.result.ok ? '.' : ' (it still has problems).'}`,
    t.result.ok ? [] : t.result.problems.map((p) => `${p.code}: ${p.message}`),
  );
  return uri;
}

/** Single-quotes an argument for a POSIX shell when it needs it (the user pastes the command into a terminal). */
function shellQuote(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * The `virsh migrate` command line. The domain and the URI are given as the values of --domain and --desturi, so a
 * domain named like an option (`--help`) stays the domain's name.
 */
export function migrateCommand(file: string, domain: string, uri: string): string {
  return ['virsh', 'migrate', '--live', '--persistent', '--undefinesource', '--xml', file, '--domain', domain, '--desturi', uri]
    .map(shellQuote)
    .join(' ');
}

/** "Copy virsh migrate Command": only copies; nothing is run. */
export async function copyMigrateCommand(
  preview: DestinationPreview,
  domains: DomainDocuments,
  notifier: Notifier,
  arg?: unknown,
): Promise<string | undefined> {
  const t = await target(preview, domains, arg);
  if (!t) return undefined;
  const saved = lastSaved.get(`${t.source.uri}|${t.profile}`);
  const file = (saved ?? suggestedFile(t)).fsPath;
  const command = migrateCommand(file, t.result.domainName ?? 'DOMAIN', t.result.destinationUri ?? 'qemu+ssh://HOST/system');
  await vscode.env.clipboard.writeText(command);
  void notifier.show(
    'info',
    saved ? 'virsh migrate command copied.' : 'virsh migrate command copied: save the destination XML to its file first.',
    [command],
  );
  return command;
}
