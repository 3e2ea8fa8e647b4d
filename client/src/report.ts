import * as vscode from 'vscode';
import type { Readiness } from '../../server/src/service/readiness';
import { isXml, type ServerApi } from './server';

export const REPORT_SCHEME = 'migratable-report';

/**
 * The readiness report: a Markdown virtual document (`migratable-report:`), shown in the Markdown preview.
 * Nothing is written to disk.
 */
export class ReadinessReport implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration: vscode.Disposable;

  constructor(private readonly api: ServerApi) {
    this.registration = vscode.workspace.registerTextDocumentContentProvider(REPORT_SCHEME, this);
  }

  static uriFor(source: vscode.Uri): vscode.Uri {
    return vscode.Uri.from({ scheme: REPORT_SCHEME, path: source.path + '.readiness.md', query: source.toString() });
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const source = vscode.Uri.parse(uri.query);
    const document = vscode.workspace.textDocuments.find((d) => d.uri.toString() === source.toString())
      ?? await vscode.workspace.openTextDocument(source);
    const r = await this.api.readiness(document);
    return renderReport(source, r);
  }

  async show(): Promise<void> {
    const document = vscode.window.activeTextEditor?.document;
    if (!isXml(document)) {
      void vscode.window.showInformationMessage('Migratable: open a libvirt domain XML file first.');
      return;
    }
    const uri = ReadinessReport.uriFor(document.uri);
    this.changed.fire(uri);
    await vscode.commands.executeCommand('markdown.showPreviewToSide', uri);
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
  }
}

function link(source: vscode.Uri, line: number, text: string): string {
  return `[${text}](${source.with({ fragment: `L${line + 1}` }).toString()})`;
}

const escape = (s: string) => s.replace(/[\\`*_[\]<>|]/g, (c) => `\\${c}`);

export function renderReport(source: vscode.Uri, r: Readiness | null): string {
  const file = source.path.split('/').pop() ?? source.toString();
  if (!r?.isDomain) return `# Migration readiness\n\n${escape(file)} is not a libvirt domain (its root element is not \`<domain>\`).\n`;
  const out = [`# Migration readiness: ${escape(r.name ?? file)}`, ''];
  out.push(r.blockers.length === 0
    ? '**Ready:** nothing in this domain blocks live migration.'
    : `**Not ready:** ${r.blockers.length} problem${r.blockers.length === 1 ? '' : 's'} block live migration.`, '');
  out.push('## Teaming pairs', '');
  if (r.pairs.length === 0) out.push('None: no VF is paired with a virtio standby.', '');
  else {
    out.push('| standby alias | standby MAC | VF MAC | VF | where |', '|---|---|---|---|---|');
    for (const p of r.pairs) {
      out.push(`| \`${p.alias}\` | ${p.standbyMac ?? '—'} | ${p.vfMac ?? '(set on the host)'} | ${escape(p.vf)} | ${link(source, p.range.start.line, `line ${p.range.start.line + 1}`)} |`);
    }
    out.push('');
  }
  out.push('## Blockers', '');
  if (r.blockers.length === 0) out.push('None.', '');
  for (const b of r.blockers) out.push(`- **${b.severity}** \`${b.code}\` ${link(source, b.range.start.line, `line ${b.range.start.line + 1}`)}: ${escape(b.message)}`);
  if (r.blockers.length) out.push('');
  out.push('## What the destination host needs', '');
  if (r.destinationNeeds.length === 0) out.push('Nothing host-specific.', '');
  for (const n of r.destinationNeeds) out.push(`- ${escape(n)}`);
  out.push('', 'The guest must support virtio-net failover (Linux >= 4.18 with `net_failover`, or virtio-win >= 0.1.189).', '');
  return out.join('\n');
}
