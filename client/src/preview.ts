import * as vscode from 'vscode';
import type { RewriteResponse } from '../../server/src/protocol';
import { isXml, type ServerApi } from './server';

const DEST_SCHEME = 'migratable-dest';
const PROFILE_GLOB = '{**/*.migration.json,**/.migratable/*.json}';

/** The virtual destination document of (source domain, profile): `migratable-dest:/…/NAME.PROFILE.xml?{json}`. */
interface DestKey {
  source: string;
  profile: string;
}

function destUri(source: vscode.Uri, profile: vscode.Uri): vscode.Uri {
  const base = source.path.replace(/\.xml$/i, '');
  const profileName = profile.path
    .split('/')
    .pop()!
    .replace(/(\.migration)?\.json$/i, '');
  const key: DestKey = { source: source.toString(), profile: profile.toString() };
  return vscode.Uri.from({ scheme: DEST_SCHEME, path: `${base}.${profileName}.xml`, query: JSON.stringify(key) });
}

function keyOf(uri: vscode.Uri): DestKey {
  return JSON.parse(uri.query) as DestKey;
}

async function documentOf(uri: string): Promise<vscode.TextDocument> {
  return (
    vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri) ??
    vscode.workspace.openTextDocument(vscode.Uri.parse(uri))
  );
}

/**
 * The destination preview: a read-only virtual document per (domain, profile), shown in a diff editor beside
 * the source; it follows edits of either. Problems of the rewrite go to the Problems panel, on the profile
 * (profile mistakes) or on the domain (devices the profile does not map).
 */
export class DestinationPreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly problems = vscode.languages.createDiagnosticCollection('migratable-destination');
  private readonly open = new Map<string, vscode.Uri>();
  private readonly results = new Map<string, RewriteResponse>();
  /** The profile last chosen for each domain (shown by the CodeLens, reused by Save/Copy). */
  readonly chosen = new Map<string, vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly chosenChanged = new vscode.EventEmitter<void>();
  readonly onDidChooseProfile = this.chosenChanged.event;

  constructor(private readonly api: ServerApi) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(DEST_SCHEME, this),
      this.problems,
      this.changed,
      this.chosenChanged,
      vscode.workspace.onDidChangeTextDocument((e) => this.sourceOrProfileChanged(e.document.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.scheme === DEST_SCHEME) this.open.delete(d.uri.toString());
      }),
    );
  }

  private sourceOrProfileChanged(uri: vscode.Uri): void {
    const changed = uri.toString();
    for (const dest of this.open.values()) {
      const key = keyOf(dest);
      if (key.source === changed || key.profile === changed) this.changed.fire(dest);
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    this.open.set(uri.toString(), uri);
    const r = await this.compute(uri);
    return r.text;
  }

  /** Runs the rewrite for a destination uri and publishes its problems. */
  async compute(uri: vscode.Uri): Promise<RewriteResponse> {
    const key = keyOf(uri);
    const [source, profile] = await Promise.all([documentOf(key.source), documentOf(key.profile)]);
    const r = await this.api.rewrite(source, profile.getText());
    if (!r) throw new Error(`the language server does not know ${source.uri.toString()}`);
    this.results.set(uri.toString(), r);
    const onProfile: vscode.Diagnostic[] = [];
    const onSource: vscode.Diagnostic[] = [];
    for (const p of r.problems) {
      const severity =
        p.severity === 'error'
          ? vscode.DiagnosticSeverity.Error
          : p.severity === 'warning'
            ? vscode.DiagnosticSeverity.Warning
            : vscode.DiagnosticSeverity.Information;
      if (p.profileSpan) {
        const d = new vscode.Diagnostic(
          new vscode.Range(profile.positionAt(p.profileSpan.start), profile.positionAt(p.profileSpan.end)),
          p.message,
          severity,
        );
        d.source = 'migratable';
        d.code = p.code;
        onProfile.push(d);
      } else {
        const range = p.range
          ? new vscode.Range(p.range.start.line, p.range.start.character, p.range.end.line, p.range.end.character)
          : new vscode.Range(0, 0, 0, 0);
        const d = new vscode.Diagnostic(
          range,
          `destination '${r.profileName ?? profile.uri.path.split('/').pop()}': ${p.message}`,
          severity,
        );
        d.source = 'migratable';
        d.code = p.code;
        (p.range ? onSource : onProfile).push(d);
      }
    }
    this.problems.set(profile.uri, onProfile);
    this.problems.set(source.uri, onSource);
    return r;
  }

  /** The last rewrite of a (domain, profile) pair, computing it if needed. */
  async result(source: vscode.Uri, profile: vscode.Uri): Promise<RewriteResponse> {
    const uri = destUri(source, profile);
    return this.results.get(uri.toString()) ?? this.compute(uri);
  }

  /** Asks which profile to use: the workspace's profiles, or "Create a profile…". */
  async pickProfile(source: vscode.TextDocument): Promise<vscode.Uri | undefined> {
    const profiles = await vscode.workspace.findFiles(PROFILE_GLOB, '**/node_modules/**', 200);
    const create = {
      label: '$(add) Create a profile…',
      description: 'from a template prefilled with this domain’s host-specific values',
    };
    const items = [
      ...profiles
        .sort((a, b) => a.path.localeCompare(b.path))
        .map((uri) => ({ label: vscode.workspace.asRelativePath(uri), uri })),
      create,
    ];
    const pick = await vscode.window.showQuickPick(items, { placeHolder: 'Destination profile for the migration' });
    if (!pick) return undefined;
    if ('uri' in pick) return pick.uri;
    return this.createProfile(source);
  }

  private async createProfile(source: vscode.TextDocument): Promise<vscode.Uri | undefined> {
    const folder = vscode.workspace.getWorkspaceFolder(source.uri)?.uri ?? vscode.Uri.joinPath(source.uri, '..');
    const name = await vscode.window.showInputBox({
      prompt: 'Destination host name',
      value: 'host-b',
      validateInput: (v) => (/^[\w.-]+$/.test(v) ? undefined : 'letters, digits, . _ -'),
    });
    if (!name) return undefined;
    const uri = vscode.Uri.joinPath(folder, `${name}.migration.json`);
    const template = await this.api.profileTemplate(source, name);
    if (template === null) return undefined;
    await vscode.workspace.fs.writeFile(uri, Buffer.from(template, 'utf8'));
    await vscode.window.showTextDocument(uri, { preview: false });
    return uri;
  }

  async show(profileArg?: vscode.Uri): Promise<void> {
    const editor = vscode.window.activeTextEditor;
    const source = editor?.document;
    if (!isXml(source)) {
      void vscode.window.showInformationMessage('Migratable: open a libvirt domain XML file first.');
      return;
    }
    const profile = profileArg ?? (await this.pickProfile(source));
    if (!profile) return;
    this.chosen.set(source.uri.toString(), profile);
    this.chosenChanged.fire();
    const uri = destUri(source.uri, profile);
    this.changed.fire(uri);
    const r = await this.compute(uri);
    const title = `${source.uri.path.split('/').pop()} ↔ destination ${r.profileName ?? ''}`.trim();
    await vscode.commands.executeCommand('vscode.diff', source.uri, uri, title, { preview: false });
    if (!r.ok) {
      void vscode.window.showWarningMessage(
        `Migratable: the destination XML for '${r.profileName ?? 'this profile'}' is not ready: ${r.problems
          .filter((p) => p.severity !== 'information')
          .map((p) => p.message)
          .join('; ')}`,
      );
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
