import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DOMAIN_SCHEME, HostRequests, type DomainSource, type PreflightCheck } from '../../../server/src/protocol';
import type { HostsConfig } from './config';
import { exists } from '../profiles';
import { domainUri, parseDomainUri } from './domainFs';
import type { HostNode } from './view';

/** A preflight as the readiness report shows it: when, and the version of the document it checked. */
export interface LastPreflight {
  dest: string;
  checks: PreflightCheck[];
  at: Date;
  /** The document's version when it was checked (undefined for a domain picked in the view). */
  version?: number;
}

/** The commands of the host features. Each asks what it needs (host, domain, destination) when not given. */
export class HostCommands {
  /** The last preflight of each source (document URI or host/domain), for the readiness report. */
  readonly preflights = new Map<string, LastPreflight>();
  private readonly preflightEmitter = new vscode.EventEmitter<string>();
  readonly onDidPreflight = this.preflightEmitter.event;

  constructor(
    private readonly client: LanguageClient,
    private readonly config: HostsConfig,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  /** Nothing here runs without trust: the server would refuse anyway, but the user should hear why. */
  private enabled(): boolean {
    if (vscode.workspace.isTrusted) return true;
    void vscode.window.showInformationMessage('Migratable: host features run virsh and are off in an untrusted workspace.');
    return false;
  }

  async pickHost(placeHolder: string, exclude?: string): Promise<string | undefined> {
    const names = this.config.hostNames().filter((n) => n !== exclude);
    if (!names.length) {
      const open = 'Open Settings';
      const a = await vscode.window.showInformationMessage(
        'Migratable: no hosts configured (migratable.hosts in your user settings).',
        open,
      );
      if (a === open) await vscode.commands.executeCommand('workbench.action.openSettings', 'migratable.hosts');
      return undefined;
    }
    return names.length === 1 && exclude === undefined ? names[0] : vscode.window.showQuickPick(names, { placeHolder });
  }

  async pickDomain(host: string, placeHolder: string, preferred?: string): Promise<string | undefined> {
    const domains = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${host}…`, cancellable: true },
      (_p, token) => this.client.sendRequest(HostRequests.domains, { host }, token),
    );
    const items = domains.map((d) => ({ label: d.name, description: `${d.state ?? ''} · ${d.verdict}` }));
    items.sort((a, b) => (a.label === preferred ? -1 : b.label === preferred ? 1 : a.label.localeCompare(b.label)));
    return (await vscode.window.showQuickPick(items, { placeHolder }))?.label;
  }

  /** Opens a domain's definition as a file (`libvirt-domain://host/name.xml`); saving it defines it. */
  async openDomain(node?: HostNode): Promise<void> {
    if (!this.enabled()) return;
    let host: string | undefined, domain: string | undefined;
    if (node?.kind === 'domain') ({ host, domain } = { host: node.host, domain: node.domain.name });
    else {
      host = await this.pickHost('Host of the domain');
      domain = host && (await this.pickDomain(host, 'Domain to open'));
    }
    if (!host || !domain) return;
    await vscode.window.showTextDocument(domainUri(host, domain), { preview: false });
  }

  /** Diffs a local domain file with a host's definition of a domain (the same name by default). */
  async compareWithHost(arg?: vscode.Uri): Promise<void> {
    if (!this.enabled()) return;
    const local = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!local || local.scheme === DOMAIN_SCHEME) {
      void vscode.window.showInformationMessage('Migratable: open a local libvirt domain XML file to compare.');
      return;
    }
    const text = (await vscode.workspace.openTextDocument(local)).getText();
    const name = /<name>\s*([^<]+?)\s*<\/name>/.exec(text)?.[1];
    const host = await this.pickHost('Compare with which host?');
    const domain = host && (await this.pickDomain(host, 'Compare with which domain?', name));
    if (!host || !domain) return;
    await vscode.commands.executeCommand(
      'vscode.diff',
      domainUri(host, domain),
      local,
      `${domain} on ${host} ↔ ${vscode.workspace.asRelativePath(local)}`,
    );
  }

  /** The domain a command acts on: a node of the view, a domain document, or an open local file. */
  private source(arg?: unknown): (DomainSource & { label: string; host?: string }) | undefined {
    const node = arg as HostNode | undefined;
    if (node?.kind === 'domain')
      return { host: node.host, domain: node.domain.name, label: `${node.domain.name} on ${node.host}` };
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (!uri) return undefined;
    if (uri.scheme === DOMAIN_SCHEME) {
      const { host, domain } = parseDomainUri(uri);
      return { uri: uri.toString(), host, domain, label: `${domain} on ${host}` };
    }
    return { uri: uri.toString(), label: vscode.workspace.asRelativePath(uri) };
  }

  /** The domain a command acts on and the destination host (asked unless given); undefined when there is none. */
  private async sourceAndDestination(
    arg: unknown,
    options?: { dest?: string },
  ): Promise<{ src: DomainSource & { label: string; host?: string }; dest: string } | undefined> {
    if (!this.enabled()) return undefined;
    const src = this.source(arg);
    if (!src) {
      void vscode.window.showInformationMessage(
        'Migratable: open a libvirt domain (or pick one in the Libvirt Hosts view) first.',
      );
      return undefined;
    }
    const dest = options?.dest ?? (await this.pickHost(`Destination host for ${src.label}`, src.host));
    return dest ? { src, dest } : undefined;
  }

  /** "Create Destination Profile from Host…": proposes free VFs, networks, storage and listen address for a destination. */
  async profileFromHost(arg?: unknown, options?: { dest?: string }): Promise<vscode.Uri | undefined> {
    const picked = await this.sourceAndDestination(arg, options);
    if (!picked) return undefined;
    const { src, dest } = picked;
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Reading ${dest} for a profile…`, cancellable: true },
      (_p, token) => this.client.sendRequest(HostRequests.profileFromHost, { ...strip(src), dest }, token),
    );
    this.log.info(`profile for ${src.label} → ${dest}:`);
    for (const n of r.notes) this.log.info(`  ${n}`);
    for (const p of r.problems) this.log.warn(`  to do: ${p}`);
    const folder =
      vscode.workspace.workspaceFolders?.[0]?.uri ??
      (src.uri?.startsWith('file:') ? vscode.Uri.joinPath(vscode.Uri.parse(src.uri), '..') : undefined);
    let target = folder ? vscode.Uri.joinPath(folder, `${dest}.migration.json`) : undefined;
    if (target && (await exists(target))) {
      const replace = 'Replace';
      const other = 'Save As…';
      const a = await vscode.window.showWarningMessage(
        `${vscode.workspace.asRelativePath(target)} exists.`,
        { modal: true },
        replace,
        other,
      );
      if (a === other)
        target = await vscode.window.showSaveDialog({ defaultUri: target, filters: { 'Destination profile': ['json'] } });
      else if (a !== replace) target = undefined;
    }
    if (!target) {
      const doc = await vscode.workspace.openTextDocument({ language: 'json', content: r.text });
      await vscode.window.showTextDocument(doc, { preview: false });
      return undefined;
    }
    await vscode.workspace.fs.writeFile(target, Buffer.from(r.text, 'utf8'));
    await vscode.window.showTextDocument(target, { preview: false });
    const summary = r.problems.length
      ? `Profile for ${dest}: ${r.problems.length} placeholder${r.problems.length === 1 ? '' : 's'} to fill in.`
      : `Profile for ${dest} written.`;
    const details = 'Show Details';
    void vscode.window
      .showInformationMessage(`Migratable: ${summary}`, details)
      .then((a) => a === details && this.log.show(true));
    return target;
  }

  /** "Check Destination…": the preflight checks, each ✓ or ✗ with its evidence. */
  async checkDestination(arg?: unknown, options?: { dest?: string }): Promise<PreflightCheck[] | undefined> {
    const picked = await this.sourceAndDestination(arg, options);
    if (!picked) return undefined;
    const { src, dest } = picked;
    const profileText = await profileFor(dest);
    // the text the check judges: edits made while it runs make it stale
    const key = src.uri ?? domainUri(src.host!, src.domain!).toString();
    const version = vscode.workspace.textDocuments.find((d) => d.uri.toString() === key)?.version;
    const r = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Checking ${dest} for ${src.label}…`, cancellable: true },
      (_p, token) =>
        this.client.sendRequest(
          HostRequests.preflight,
          { ...strip(src), dest, ...(profileText !== undefined ? { profileText } : {}) },
          token,
        ),
    );
    this.preflights.set(key, { dest, checks: r.checks, at: new Date(), version });
    this.preflightEmitter.fire(key);
    this.log.info(`preflight of ${src.label} → ${dest}:`);
    for (const c of r.checks) this.log.info(`  ${c.ok ? '✓' : c.advisory ? '!' : '✗'} ${c.check}: ${c.detail}`);
    const failed = r.checks.filter((c) => !c.ok && !c.advisory);
    const details = 'Show Details';
    const text = failed.length
      ? `Migratable: ${src.label} → ${dest}: ${failed.length} check${failed.length === 1 ? '' : 's'} failed (${failed.map((c) => c.check).join(', ')}).`
      : `Migratable: ${src.label} → ${dest}: all ${r.checks.length} checks pass.`;
    void (
      failed.length ? vscode.window.showWarningMessage(text, details) : vscode.window.showInformationMessage(text, details)
    ).then((a) => a === details && this.log.show(true));
    return r.checks;
  }
}

/** The destination profile of a host in the workspace (`HOST.migration.json` or `.migratable/HOST.json`), if any. */
export async function profileFor(dest: string): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles(
    `{**/${dest}.migration.json,**/.migratable/${dest}.json}`,
    '**/node_modules/**',
    2,
  );
  if (!found.length) return undefined;
  return (await vscode.workspace.openTextDocument(found[0])).getText();
}

function strip(src: DomainSource & { label: string }): DomainSource {
  return { ...(src.uri ? { uri: src.uri } : {}), ...(src.host && !src.uri ? { host: src.host, domain: src.domain } : {}) };
}
