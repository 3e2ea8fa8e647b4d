import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { Readiness } from '../../server/src/protocol';
import { isXml, type ServerApi } from './server';

/** A place in the source domain that the report links to. */
interface Place {
  line: number;
  character: number;
}

/**
 * The readiness report: a webview beside the domain (the Markdown preview refuses links into files), listing the
 * teaming pairs, the blockers with links to their places, and what the destination will need. It follows the
 * domain's diagnostics. Nothing is written to disk.
 */
export class ReadinessReport implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private source: vscode.Uri | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly updated = new vscode.EventEmitter<void>();
  /** Fires after the report shows a new state (tests wait on it). */
  readonly onDidUpdate = this.updated.event;
  /** What the report shows now: for tests, and for anyone who wants the text. */
  current: { source: vscode.Uri; readiness: Readiness | null; html: string } | undefined;

  constructor(private readonly api: ServerApi) {
    this.disposables.push(
      this.updated,
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (this.panel && this.source && e.uris.some((u) => u.toString() === this.source!.toString())) void this.render();
      }),
    );
  }

  async show(): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    if (!isXml(document)) {
      void vscode.window.showInformationMessage('Migratable: open a libvirt domain XML file first.');
      return;
    }
    this.source = document.uri;
    if (!this.panel) {
      this.panel = vscode.window.createWebviewPanel(
        'migratable.report',
        'Migration Readiness',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, localResourceRoots: [] },
      );
      this.panel.onDidDispose(
        () => {
          this.panel = undefined;
          this.current = undefined;
        },
        null,
        this.disposables,
      );
      this.panel.webview.onDidReceiveMessage((m: Place) => this.reveal(m), null, this.disposables);
    } else {
      this.panel.reveal(vscode.ViewColumn.Beside, true);
    }
    await this.render();
  }

  private async render(): Promise<void> {
    const source = this.source!;
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString());
    const readiness = document ? await this.api.readiness(document).catch(() => null) : null;
    if (!this.panel || this.source !== source) return;
    const html = renderReport(source, readiness, randomBytes(16).toString('base64'));
    this.panel.title = `Migration Readiness: ${source.path.split('/').pop()}`;
    this.panel.webview.html = html;
    this.current = { source, readiness, html };
    this.updated.fire();
  }

  private async reveal(place: Place): Promise<void> {
    if (!this.source || typeof place?.line !== 'number') return;
    const position = new vscode.Position(place.line, place.character ?? 0);
    await vscode.window.showTextDocument(this.source, {
      selection: new vscode.Range(position, position),
      viewColumn: vscode.ViewColumn.One,
    });
  }

  dispose(): void {
    this.panel?.dispose();
    for (const d of this.disposables) d.dispose();
  }
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function at(p: Place, text: string): string {
  return `<a href="#" data-line="${p.line}" data-character="${p.character}">${escape(text)}</a>`;
}

/** The report as a self-contained page: no remote content, a nonce for its one script (links post the place). */
function renderReport(source: vscode.Uri, r: Readiness | null, nonce: string): string {
  const file = source.path.split('/').pop() ?? source.toString();
  const body: string[] = [];
  if (!r?.isDomain) {
    body.push(
      '<h1>Migration readiness</h1>',
      `<p>${escape(file)} is not a libvirt domain (its root element is not <code>&lt;domain&gt;</code>).</p>`,
    );
  } else {
    const n = r.blockers.length;
    body.push(`<h1>Migration readiness: ${escape(r.name ?? file)}</h1>`);
    body.push(
      n === 0
        ? '<p class="ok"><strong>Ready:</strong> nothing in this domain blocks live migration.</p>'
        : `<p class="bad"><strong>Not ready:</strong> ${n} problem${n === 1 ? '' : 's'} block${n === 1 ? 's' : ''} live migration.</p>`,
    );
    body.push('<h2>Teaming pairs</h2>');
    if (r.pairs.length === 0) body.push('<p>None: no VF is paired with a virtio standby.</p>');
    else {
      body.push('<table><tr><th>standby alias</th><th>standby MAC</th><th>VF MAC</th><th>VF</th><th>where</th></tr>');
      for (const p of r.pairs) {
        body.push(
          `<tr><td><code>${escape(p.alias)}</code></td><td>${escape(p.standbyMac ?? '—')}</td><td>${escape(p.vfMac ?? '(set on the host)')}</td>` +
            `<td>${escape(p.vf)}</td><td>${at(p.range.start, `line ${p.range.start.line + 1}`)}</td></tr>`,
        );
      }
      body.push('</table>');
    }
    body.push('<h2>Blockers</h2>');
    if (n === 0) body.push('<p>None.</p>');
    else {
      body.push('<ul>');
      for (const b of r.blockers) {
        body.push(
          `<li><span class="${b.severity}">${b.severity}</span> <code>${escape(b.code)}</code> ${at(b.range.start, `line ${b.range.start.line + 1}`)}: ${escape(b.message)}</li>`,
        );
      }
      body.push('</ul>');
    }
    body.push('<h2>What the destination host needs</h2>');
    body.push(
      r.destinationNeeds.length === 0
        ? '<p>Nothing host-specific.</p>'
        : `<ul>${r.destinationNeeds.map((x) => `<li>${escape(x)}</li>`).join('')}</ul>`,
    );
    for (const note of r.notes) body.push(`<p>${escape(note)}</p>`);
  }
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>
body { font-family: var(--vscode-font-family); color: var(--vscode-foreground); padding: 0 1em; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 2px 10px 2px 0; border-bottom: 1px solid var(--vscode-panel-border); }
.error { color: var(--vscode-errorForeground); font-weight: bold; } .warning { color: var(--vscode-editorWarning-foreground); font-weight: bold; }
.ok { color: var(--vscode-testing-iconPassed); } a { color: var(--vscode-textLink-foreground); }
</style></head><body>
${body.join('\n')}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const a of document.querySelectorAll('a[data-line]')) {
  a.addEventListener('click', (e) => { e.preventDefault(); vscode.postMessage({ line: Number(a.dataset.line), character: Number(a.dataset.character) }); });
}
</script></body></html>`;
}
