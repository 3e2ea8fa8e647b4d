import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DOMAIN_SCHEME, HostRequests } from '../../../server/src/protocol';

/** `libvirt-domain://host-a/web1.xml`: a domain definition on a host, as a file. */
export function domainUri(host: string, domain: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOMAIN_SCHEME, authority: host, path: `/${domain}.xml` });
}

/** Parses the URI; in Restricted Mode refuses it first, saying why (the server would refuse too, less clearly). */
export function parseDomainUri(uri: vscode.Uri): { host: string; domain: string } {
  if (!vscode.workspace.isTrusted)
    throw vscode.FileSystemError.NoPermissions(
      `${uri.toString()}: host features run virsh and are off in Restricted Mode (an untrusted workspace)`,
    );
  const name = uri.path.replace(/^\//, '');
  if (uri.scheme !== DOMAIN_SCHEME || !uri.authority || !name.endsWith('.xml') || name.includes('/')) {
    throw vscode.FileSystemError.FileNotFound(uri);
  }
  return { host: uri.authority, domain: name.slice(0, -'.xml'.length) };
}

/**
 * Domain definitions as files. Reading is `virsh dumpxml --inactive` (never `--security-info`); saving is
 * `virsh define` (the XML on stdin, no readable temp file), after asking when the definition has migration errors;
 * libvirt's own message is shown when it refuses; deleting undefines the domain (`virsh undefine`, after asking).
 * Nothing else writes: no rename, no folders.
 */
export class DomainFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  /** What was read or defined last, by URI: stat() answers from it without asking the host again. */
  private readonly known = new Map<string, { size: number; mtime: number }>();
  /** Asks before a define or undefine that needs it; tests answer it (a modal dialog cannot be clicked there). */
  confirm: (message: string, detail: string, action: string) => Promise<boolean> = async (message, detail, action) =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, action)) === action;

  constructor(
    private readonly client: LanguageClient,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  watch(): vscode.Disposable {
    return new vscode.Disposable(() => undefined);
  }

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    const k = this.known.get(uri.toString());
    if (k) return { type: vscode.FileType.File, ctime: 0, mtime: k.mtime, size: k.size };
    const text = await this.read(uri);
    return { type: vscode.FileType.File, ctime: 0, mtime: this.remember(uri, text), size: Buffer.byteLength(text) };
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    const text = await this.read(uri);
    this.remember(uri, text);
    return Buffer.from(text, 'utf8');
  }

  async writeFile(uri: vscode.Uri, content: Uint8Array): Promise<void> {
    const { host, domain } = parseDomainUri(uri);
    const xml = Buffer.from(content).toString('utf8');
    const { blockers } = await this.client.sendRequest(HostRequests.checkDefinition, { host, domain, xml });
    if (blockers.length) {
      const plural = blockers.length === 1 ? '' : 's';
      const ok = await this.confirm(
        `Define ${domain} on ${host}? Its definition has ${blockers.length} error${plural} or migration blocker${plural}.`,
        blockers.slice(0, 8).join('\n'),
        'Define Anyway',
      );
      if (!ok) throw vscode.FileSystemError.NoPermissions(`not defined: ${domain} has problems (${blockers.length})`);
    }
    try {
      const r = await this.client.sendRequest(HostRequests.defineDomain, { host, domain, xml });
      this.log.info(`${host}: ${r.message}`);
      this.remember(uri, xml);
      this.changed.fire([{ type: vscode.FileChangeType.Changed, uri }]);
    } catch (e) {
      const message = `libvirt refused the definition of ${domain} on ${host}: ${(e as Error).message}`;
      this.log.warn(message);
      // the editor shows this message, keeps the text dirty, and offers to retry
      throw vscode.FileSystemError.Unavailable(message);
    }
  }

  private async read(uri: vscode.Uri): Promise<string> {
    const { host, domain } = parseDomainUri(uri);
    try {
      return await this.client.sendRequest(HostRequests.readDomain, { host, domain });
    } catch (e) {
      const message = (e as Error).message;
      this.log.warn(`reading ${domain} on ${host}: ${message}`);
      if ((e as { data?: { kind?: string } }).data?.kind === 'not-found') throw vscode.FileSystemError.FileNotFound(uri);
      throw vscode.FileSystemError.Unavailable(`${domain} on ${host}: ${message}`);
    }
  }

  private remember(uri: vscode.Uri, text: string): number {
    const mtime = Date.now();
    this.known.set(uri.toString(), { size: Buffer.byteLength(text), mtime });
    return mtime;
  }

  readDirectory(): [string, vscode.FileType][] {
    return [];
  }
  createDirectory(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }
  /** Undefines the domain (`virsh undefine`, keeping its storage), after asking: a running domain keeps running. */
  async delete(uri: vscode.Uri): Promise<void> {
    const { host, domain } = parseDomainUri(uri);
    const ok = await this.confirm(
      `Undefine ${domain} on ${host}?`,
      'libvirt removes its definition (its disks stay); if it runs, it keeps running until it stops.',
      'Undefine',
    );
    if (!ok) throw vscode.FileSystemError.NoPermissions(`not undefined: ${domain}`);
    try {
      const r = await this.client.sendRequest(HostRequests.undefineDomain, { host, domain });
      this.log.info(`${host}: ${r.message}`);
      this.known.delete(uri.toString());
      this.changed.fire([{ type: vscode.FileChangeType.Deleted, uri }]);
    } catch (e) {
      throw vscode.FileSystemError.Unavailable(`libvirt refused to undefine ${domain} on ${host}: ${(e as Error).message}`);
    }
  }
  rename(uri: vscode.Uri): void {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  dispose(): void {
    this.changed.dispose();
  }
}
