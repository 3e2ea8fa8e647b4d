import { randomBytes } from 'crypto';
import * as vscode from 'vscode';
import type { Readiness } from '../../server/src/protocol';
import type { LastPreflight } from './hosts/commands';
import type { DestinationPreview, DestinationProblems } from './preview';
import { isXml, type ServerApi } from './server';

/** A place in the source domain that the report links to. */
interface Place {
  line: number;
  character: number;
}

/** Where the report finds the last "Check Destination…" of a document (the host commands keep them). */
export interface Preflights {
  readonly preflights: ReadonlyMap<string, LastPreflight>;
  readonly onDidPreflight: vscode.Event<string>;
}

/**
 * The readiness report: a webview beside the domain (the Markdown preview refuses links into files), listing the
 * teaming pairs, the blockers with links to their places, the problems of open destination previews, and what the
 * destination will need. It follows the domain's diagnostics and the previews. Nothing is written to disk.
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

  constructor(
    private readonly api: ServerApi,
    private readonly preview: DestinationPreview,
    private readonly checks?: Preflights,
  ) {
    this.disposables.push(
      this.updated,
      ...(checks ? [checks.onDidPreflight((key) => this.panel && this.source?.toString() === key && this.render())] : []),
      vscode.languages.onDidChangeDiagnostics((e) => {
        if (this.panel && this.source && e.uris.some((u) => u.toString() === this.source!.toString())) void this.render();
      }),
      preview.onDidChangeProblems(() => this.panel && this.source && this.render()),
    );
  }

  async show(document: vscode.TextDocument | undefined): Promise<void> {
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
    const last = this.checks?.preflights.get(source.toString());
    const preflight =
      last && document ? { ...last, stale: last.version !== undefined && last.version !== document.version } : undefined;
    const html = document
      ? renderReport(source, readiness, this.preview.problemsOf(source), randomBytes(16).toString('base64'), preflight)
      : renderClosed(source);
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
const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function at(p: Place, text: string): string {
  return `<a href="#" data-line="${p.line}" data-character="${p.character}">${escape(text)}</a>`;
}

/** The teaming pairs: a table that turns into one block per pair in a narrow pane (its cells labelled by CSS). */
function pairsTable(r: Readiness): string {
  const rows = r.pairs.map(
    (p) =>
      `<tr><td><code>${escape(p.alias)}</code></td><td>${escape(p.standbyMac ?? '—')}</td><td>${escape(p.vfMac ?? '(set on the host)')}</td>` +
      `<td>${escape(p.vf)}</td><td>${at(p.range.start, `line ${p.range.start.line + 1}`)}</td></tr>`,
  );
  return `<table class="pairs"><thead><tr>${PAIR_COLUMNS.map((h) => `<th>${h}</th>`).join('')}</tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const PAIR_COLUMNS = ['standby alias', 'standby MAC', 'VF MAC', 'VF', 'where'];

function severityOf(d: vscode.Diagnostic): string {
  return d.severity === vscode.DiagnosticSeverity.Error
    ? 'error'
    : d.severity === vscode.DiagnosticSeverity.Warning
      ? 'warning'
      : 'info';
}

/** The domain was closed: the report has nothing to follow (it used to say "not a libvirt domain"). */
function renderClosed(source: vscode.Uri): string {
  const file = escape(source.path.split('/').pop() ?? source.toString());
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline';">
<style>${STYLE}</style></head><body><h1>Migration readiness</h1><p>${file} is no longer open: open it, then show the report again.</p></body></html>`;
}

/** The report as a self-contained page: no remote content, a nonce for its one script (links post the place). */
function renderReport(
  source: vscode.Uri,
  r: Readiness | null,
  destinations: DestinationProblems[],
  nonce: string,
  preflight?: LastPreflight & { stale: boolean },
): string {
  const file = source.path.split('/').pop() ?? source.toString();
  const body: string[] = [];
  if (!r?.isDomain) {
    body.push(
      '<h1>Migration readiness</h1>',
      `<p>${escape(file)} is not a libvirt domain (its root element is not <code>&lt;domain&gt;</code>).</p>`,
    );
  } else {
    const n = r.blockers.length;
    const destErrors = destinations
      .map((d) => ({ ...d, errors: d.problems.filter((p) => p.severity === vscode.DiagnosticSeverity.Error).length }))
      .filter((d) => d.errors > 0);
    const destText = destErrors.map((d) => `${escape(d.profileName)}: ${plural(d.errors, 'problem')}`).join(', ');
    const hostFailed = preflight?.checks.filter((c) => !c.ok && !c.advisory) ?? [];
    body.push(`<h1>Migration readiness: ${escape(r.name ?? file)}</h1>`);
    if (n > 0)
      body.push(
        `<p class="verdict bad"><strong>Not ready:</strong> ${plural(n, 'problem')} block${n === 1 ? 's' : ''} live migration.</p>`,
      );
    else if (destErrors.length)
      body.push(
        `<p class="verdict bad"><strong>Not ready:</strong> nothing in this domain blocks live migration, but the destination XML is not ready (${destText}).</p>`,
      );
    else if (hostFailed.length)
      body.push(
        `<p class="verdict bad"><strong>Not ready for ${escape(preflight!.dest)}:</strong> nothing in this domain blocks live migration, but the host fails ${plural(hostFailed.length, 'check')}.</p>`,
      );
    else body.push('<p class="verdict ok"><strong>Ready:</strong> nothing in this domain blocks live migration.</p>');
    body.push('<h2>Teaming pairs</h2>');
    body.push(r.pairs.length === 0 ? '<p>None: no VF is paired with a virtio standby.</p>' : pairsTable(r));
    body.push('<h2>Blockers</h2>');
    if (n === 0) body.push('<p>None.</p>');
    else {
      body.push('<ul class="findings">');
      for (const b of r.blockers) {
        body.push(
          `<li><span class="severity ${b.severity}">${b.severity}</span> <code>${escape(b.code)}</code> ${at(b.range.start, `line ${b.range.start.line + 1}`)}: ${escape(b.message)}</li>`,
        );
      }
      body.push('</ul>');
    }
    for (const d of destinations) {
      body.push(`<h2>Destination XML for ${escape(d.profileName)} (open preview)</h2>`);
      if (d.problems.length === 0) body.push('<p>No problems: it is ready for <code>virsh migrate --xml</code>.</p>');
      else {
        body.push('<ul class="findings">');
        for (const p of d.problems) {
          const severity = severityOf(p);
          body.push(
            `<li><span class="severity ${severity}">${severity}</span> <code>${escape(String(p.code ?? ''))}</code> ${escape(p.message)}</li>`,
          );
        }
        body.push('</ul>');
      }
    }
    if (preflight) body.push(...preflightSection(preflight));
    body.push('<h2>What the destination host needs</h2>');
    body.push(
      r.destinationNeeds.length === 0
        ? '<p>Nothing host-specific.</p>'
        : `<ul>${r.destinationNeeds.map((x) => `<li>${escape(x)}</li>`).join('')}</ul>`,
    );
    for (const note of r.notes) body.push(`<p>${escape(note)}</p>`);
  }
  return `<!DOCTYPE html><html lang="en"><head><meta charset="UTF-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'nonce-${nonce}';">
<style>${STYLE}</style></head><body>
${body.join('\n')}
<script nonce="${nonce}">
const vscode = acquireVsCodeApi();
for (const a of document.querySelectorAll('a[data-line]')) {
  a.addEventListener('click', (e) => { e.preventDefault(); vscode.postMessage({ line: Number(a.dataset.line), character: Number(a.dataset.character) }); });
}
</script></body></html>`;
}

/** The last "Check Destination…" of this document: each check with its evidence, and whether the text changed since. */
function preflightSection(p: LastPreflight & { stale: boolean }): string[] {
  const time = p.at.toLocaleTimeString();
  const out = [`<h2>Destination host ${escape(p.dest)} (checked at ${escape(time)})</h2>`];
  if (p.stale) out.push('<p class="note">The domain changed since this check: run Check Destination… again.</p>');
  out.push('<ul class="findings checks">');
  for (const c of p.checks) {
    const [cls, word] = c.ok ? ['ok', 'pass'] : c.advisory ? ['warning', 'advice'] : ['error', 'fail'];
    out.push(`<li><span class="severity ${cls}">${word}</span> ${escape(c.check)}: ${escape(c.detail)}</li>`);
  }
  out.push('</ul>');
  return out;
}

/**
 * Only the theme's own colours (`--vscode-*`), and text always in the theme's foreground: a verdict or a severity is
 * marked by a border and a badge, not by coloured text (light green on white was unreadable). Long words wrap;
 * below 600 px the pairs table becomes one labelled block per pair, so nothing is wider than the pane.
 */
const STYLE = `
body { font-family: var(--vscode-font-family); font-size: var(--vscode-font-size); color: var(--vscode-foreground);
  background: var(--vscode-editor-background); padding: 0 1em; overflow-wrap: anywhere; }
h1 { font-size: 1.4em; } h2 { font-size: 1.15em; margin-top: 1.4em; }
code { font-family: var(--vscode-editor-font-family); }
a { color: var(--vscode-textLink-foreground); } a:hover { color: var(--vscode-textLink-activeForeground); }
a:focus { outline: 1px solid var(--vscode-focusBorder); }
.verdict { padding: 0.5em 0.75em; border-left: 4px solid; color: var(--vscode-foreground);
  background: var(--vscode-textBlockQuote-background); }
.verdict.ok { border-left-color: var(--vscode-testing-iconPassed); }
.verdict.bad { border-left-color: var(--vscode-editorWarning-foreground); }
.severity { display: inline-block; padding: 0 0.4em; border-radius: 3px; font-size: 0.85em; font-weight: 600;
  color: var(--vscode-badge-foreground); background: var(--vscode-badge-background);
  border: 1px solid var(--vscode-contrastBorder, transparent); }
.severity.error { border-left: 4px solid var(--vscode-editorError-foreground); }
.severity.warning { border-left: 4px solid var(--vscode-editorWarning-foreground); }
.severity.ok { border-left: 4px solid var(--vscode-testing-iconPassed); }
.note { font-style: italic; }
.findings li { margin: 0.3em 0; }
table.pairs { border-collapse: collapse; width: 100%; }
table.pairs th, table.pairs td { text-align: left; padding: 2px 10px 2px 0; vertical-align: top;
  border-bottom: 1px solid var(--vscode-panel-border); }
@media (max-width: 600px) {
  table.pairs thead { display: none; }
  table.pairs, table.pairs tbody, table.pairs tr, table.pairs td { display: block; width: auto; }
  table.pairs tr { padding: 0.4em 0; border-bottom: 1px solid var(--vscode-panel-border); }
  table.pairs td { border: none; padding: 1px 0; }
  table.pairs td::before { font-weight: 600; }
${PAIR_COLUMNS.map((h, i) => `  table.pairs td:nth-child(${i + 1})::before { content: "${h}: "; }`).join('\n')}
}
`;
