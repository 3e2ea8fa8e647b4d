import * as vscode from 'vscode';
import type { RewriteResponse } from '../../server/src/protocol';
import type { Notifier } from './notify';
import { createProfile } from './profiles';
import { isXml, type ServerApi } from './server';

const DEST_SCHEME = 'migratable-dest';
const PROFILE_GLOB = '{**/*.migration.json,**/.migratable/*.json}';
/** Profile value errors that VS Code's JSON schema validation already reports on these files (one problem each). */
const SCHEMA_CHECKED = new Set(['profile-value']);

/** The virtual destination document of (source domain, profile): `migratable-dest:/…/NAME.PROFILE.xml?{json}`. */
interface DestKey {
  source: string;
  profile: string;
}

function destUri(source: vscode.Uri, profile: vscode.Uri): vscode.Uri {
  const base = source.path.replace(/\.xml$/i, '');
  const key: DestKey = { source: source.toString(), profile: profile.toString() };
  return vscode.Uri.from({ scheme: DEST_SCHEME, path: `${base}.${profileName(profile)}.xml`, query: JSON.stringify(key) });
}

function keyOf(uri: vscode.Uri): DestKey {
  return JSON.parse(uri.query) as DestKey;
}

export function profileName(profile: vscode.Uri): string {
  return profile.path
    .split('/')
    .pop()!
    .replace(/(\.migration)?\.json$/i, '');
}

function openDocument(uri: string): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri && !d.isClosed);
}

/** Whether VS Code validates this profile with our JSON schema (package.json `jsonValidation`). */
function schemaValidated(profile: vscode.Uri): boolean {
  return /\.migration\.json$/i.test(profile.path) || /\/\.migratable\/[^/]+\.json$/i.test(profile.path);
}

/** The destination problems of one live preview, for the status bar and the report. */
export interface DestinationProblems {
  profileName: string;
  problems: vscode.Diagnostic[];
}

/** One open preview: its last rewrite and the problems it publishes. */
interface Live {
  key: DestKey;
  result: RewriteResponse;
  onSource: vscode.Diagnostic[];
  onProfile: vscode.Diagnostic[];
}

/**
 * The destination preview: a read-only virtual document per (domain, profile), shown in a diff editor beside
 * the source; it follows edits of either. Its problems go to the Problems panel — on the profile (profile mistakes)
 * or on the domain (devices the profile does not map) — for as long as the preview is open: they go when its tab
 * closes, or when the domain or the profile document closes.
 */
export class DestinationPreview implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly problems = vscode.languages.createDiagnosticCollection('migratable-destination');
  private readonly live = new Map<string, Live>();
  /** Previews being opened: live before their tab exists. */
  private readonly opening = new Set<string>();
  /** The profile last chosen for each domain (shown by the CodeLens, reused by Save/Copy). */
  readonly chosen = new Map<string, vscode.Uri>();
  private readonly disposables: vscode.Disposable[] = [];
  private readonly chosenChanged = new vscode.EventEmitter<void>();
  readonly onDidChooseProfile = this.chosenChanged.event;
  private readonly problemsChanged = new vscode.EventEmitter<void>();
  /** Fires after the published destination problems changed (the status bar and the report follow). */
  readonly onDidChangeProblems = this.problemsChanged.event;

  constructor(
    private readonly api: ServerApi,
    private readonly notifier: Notifier,
  ) {
    this.disposables.push(
      vscode.workspace.registerTextDocumentContentProvider(DEST_SCHEME, this),
      this.problems,
      this.changed,
      this.chosenChanged,
      this.problemsChanged,
      vscode.workspace.onDidChangeTextDocument((e) => this.sourceOrProfileChanged(e.document.uri)),
      vscode.workspace.onDidCloseTextDocument((d) => this.documentClosed(d.uri)),
      vscode.window.tabGroups.onDidChangeTabs(() => this.prune()),
    );
  }

  /** The domain a destination preview document stands for. */
  sourceOf(uri: vscode.Uri): vscode.Uri | undefined {
    return uri.scheme === DEST_SCHEME ? vscode.Uri.parse(keyOf(uri).source) : undefined;
  }

  /** The (domain, profile) of a destination preview document. */
  pairOf(uri: vscode.Uri): { source: vscode.Uri; profile: vscode.Uri } | undefined {
    if (uri.scheme !== DEST_SCHEME) return undefined;
    const key = keyOf(uri);
    return { source: vscode.Uri.parse(key.source), profile: vscode.Uri.parse(key.profile) };
  }

  /** The problems of the open previews of a domain, by profile. */
  problemsOf(source: vscode.Uri): DestinationProblems[] {
    const s = source.toString();
    return [...this.live.values()]
      .filter((l) => l.key.source === s)
      .map((l) => ({
        profileName: l.result.profileName ?? profileName(vscode.Uri.parse(l.key.profile)),
        problems: [...l.onSource, ...l.onProfile],
      }));
  }

  private sourceOrProfileChanged(uri: vscode.Uri): void {
    const changed = uri.toString();
    for (const [dest, l] of this.live) {
      if (l.key.source === changed || l.key.profile === changed) this.changed.fire(vscode.Uri.parse(dest));
    }
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const r = await this.compute(uri);
    if (r) return r.text;
    const key = keyOf(uri);
    const gone = openDocument(key.source) ? key.profile : key.source;
    return `<!-- Migratable: ${vscode.Uri.parse(gone).path.split('/').pop()} is no longer open: close this preview. -->\n`;
  }

  /** Runs the rewrite for a destination uri and publishes its problems; undefined when the domain or profile is gone. */
  async compute(uri: vscode.Uri): Promise<RewriteResponse | undefined> {
    const key = keyOf(uri);
    const profile = openDocument(key.profile) ?? (await this.openProfile(key.profile));
    const source = openDocument(key.source);
    // the server answers null for a document it no longer has (an untitled domain closed meanwhile)
    const r = source && profile ? await this.api.rewrite(source, profile.getText()).catch(() => null) : null;
    if (!r || !source || !profile || source.isClosed) {
      this.drop(uri.toString());
      return undefined;
    }
    const onProfile: vscode.Diagnostic[] = [];
    const onSource: vscode.Diagnostic[] = [];
    const skipSchemaChecked = schemaValidated(profile.uri);
    for (const p of r.problems) {
      const severity =
        p.severity === 'error'
          ? vscode.DiagnosticSeverity.Error
          : p.severity === 'warning'
            ? vscode.DiagnosticSeverity.Warning
            : vscode.DiagnosticSeverity.Information;
      if (p.profileSpan) {
        if (skipSchemaChecked && SCHEMA_CHECKED.has(p.code)) continue;
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
          `destination '${r.profileName ?? profileName(profile.uri)}': ${p.message}`,
          severity,
        );
        d.source = 'migratable';
        d.code = p.code;
        (p.range ? onSource : onProfile).push(d);
      }
    }
    this.live.set(uri.toString(), { key, result: r, onSource, onProfile });
    this.publish();
    return r;
  }

  /** A profile on disk that no editor holds (opened for the rewrite; VS Code may close it again later). */
  private async openProfile(uri: string): Promise<vscode.TextDocument | undefined> {
    try {
      return await vscode.workspace.openTextDocument(vscode.Uri.parse(uri));
    } catch {
      return undefined;
    }
  }

  /** The diagnostics of every live preview, merged per document (two previews may share a domain or a profile). */
  private publish(): void {
    const byUri = new Map<string, { uri: vscode.Uri; diags: vscode.Diagnostic[] }>();
    const add = (uri: string, diags: vscode.Diagnostic[]) => {
      const entry = byUri.get(uri) ?? { uri: vscode.Uri.parse(uri), diags: [] };
      entry.diags.push(...diags);
      byUri.set(uri, entry);
    };
    for (const l of this.live.values()) {
      add(l.key.source, l.onSource);
      add(l.key.profile, l.onProfile);
    }
    this.problems.clear();
    for (const { uri, diags } of byUri.values()) if (diags.length) this.problems.set(uri, diags);
    this.problemsChanged.fire();
  }

  private drop(dest: string): void {
    if (this.live.delete(dest)) this.publish();
  }

  /** A preview is live while a tab shows it. */
  private prune(): void {
    const shown = new Set<string>();
    for (const group of vscode.window.tabGroups.all)
      for (const tab of group.tabs) {
        const input = tab.input;
        if (input instanceof vscode.TabInputTextDiff) shown.add(input.modified.toString());
        else if (input instanceof vscode.TabInputText) shown.add(input.uri.toString());
      }
    const gone = [...this.live.keys()].filter((d) => !shown.has(d) && !this.opening.has(d));
    for (const d of gone) this.live.delete(d);
    if (gone.length) this.publish();
  }

  /**
   * A closed preview, or a closed domain: its problems go, and the previews of a closed domain close too (an untitled
   * domain is gone for good). A closed profile (its unsaved edits gone with it) is read again from disk: the open
   * preview and its problems follow the file, or go when it is no longer there.
   */
  private documentClosed(uri: vscode.Uri): void {
    const closed = uri.toString();
    if (uri.scheme === DEST_SCHEME) return this.drop(closed);
    for (const [dest, l] of this.live) if (l.key.profile === closed) this.changed.fire(vscode.Uri.parse(dest));
    const affected = [...this.live].filter(([, l]) => l.key.source === closed);
    if (!affected.length) return;
    for (const [dest] of affected) this.live.delete(dest);
    this.publish();
    const orphans = vscode.window.tabGroups.all
      .flatMap((g) => g.tabs)
      .filter((t) => t.input instanceof vscode.TabInputTextDiff && this.sourceOf(t.input.modified)?.toString() === closed);
    if (orphans.length) void vscode.window.tabGroups.close(orphans, true);
  }

  /** The last rewrite of a (domain, profile) pair, computing it if needed; undefined when either is not open. */
  async result(source: vscode.Uri, profile: vscode.Uri): Promise<RewriteResponse | undefined> {
    const uri = destUri(source, profile);
    const live = this.live.get(uri.toString());
    if (live) return live.result;
    const r = await this.compute(uri);
    this.prune(); // computed for Save/Copy only: no open preview, no problems in the panel
    return r;
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
    return createProfile(this.api, source);
  }

  /** Opens the preview of `source` (default: the active domain) for a profile (default: asked). */
  async show(source: vscode.TextDocument | undefined, profileArg?: vscode.Uri): Promise<void> {
    if (!isXml(source)) {
      void vscode.window.showInformationMessage('Migratable: open a libvirt domain XML file first.');
      return;
    }
    const profile = profileArg ?? (await this.pickProfile(source));
    if (!profile) return;
    this.chosen.set(source.uri.toString(), profile);
    this.chosenChanged.fire();
    const uri = destUri(source.uri, profile);
    const dest = uri.toString();
    this.opening.add(dest);
    let r: RewriteResponse | undefined;
    try {
      this.changed.fire(uri);
      r = await this.compute(uri);
      if (!r) return;
      const title = `${source.uri.path.split('/').pop()} ↔ destination ${r.profileName ?? ''}`.trim();
      await vscode.commands.executeCommand('vscode.diff', source.uri, uri, title, { preview: false });
    } finally {
      this.opening.delete(dest);
      this.prune();
    }
    if (!r.ok) {
      const shown = r.problems.filter((p) => p.severity !== 'information');
      const n = shown.length;
      void this.notifier.show(
        'warning',
        `the destination XML for '${r.profileName ?? profileName(profile)}' is not ready: ${n} problem${n === 1 ? '' : 's'}.`,
        shown.map((p) => `${p.code}: ${p.message}`),
        [{ title: 'Show Problems', run: () => vscode.commands.executeCommand('workbench.actions.view.problems') }],
      );
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
