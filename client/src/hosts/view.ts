import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  Commands,
  HostNotifications,
  HostRequests,
  type DomainOnHost,
  type HostSummary,
  type NetworkOnHost,
  type PfOnHost,
  type VfOnHost,
} from '../../../server/src/protocol';
import { domainUri } from './domainFs';

export type HostNode =
  | { kind: 'host'; host: HostSummary }
  | { kind: 'group'; host: string; group: 'domains' | 'networks' | 'sriov' }
  | { kind: 'domain'; host: string; domain: DomainOnHost }
  | { kind: 'network'; host: string; network: NetworkOnHost }
  | { kind: 'pf'; host: string; pf: PfOnHost }
  | { kind: 'vf'; host: string; vf: VfOnHost }
  | { kind: 'message'; text: string; tooltip?: string; error?: boolean };

const GROUPS: { group: 'domains' | 'networks' | 'sriov'; label: string; icon: string }[] = [
  { group: 'domains', label: 'Domains', icon: 'vm' },
  { group: 'networks', label: 'Networks', icon: 'globe' },
  { group: 'sriov', label: 'SR-IOV', icon: 'circuit-board' },
];

/**
 * The Libvirt Hosts view: hosts → Domains (state and verdict), Networks (a hostdev pool's VFs), SR-IOV (PFs → VFs).
 * Loaded lazily, a level at a time, each through the server (which runs virsh with a deadline): the editor never
 * waits for a host. Refresh reads the hosts again.
 */
export class HostsView implements vscode.TreeDataProvider<HostNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HostNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private refreshing = false;
  /** Fires with the nodes of a level once they are loaded (tests wait on it). */
  private readonly loadedEmitter = new vscode.EventEmitter<{ parent: HostNode | undefined; children: HostNode[] }>();
  readonly onDidLoad = this.loadedEmitter.event;
  /** The host nodes shown now, by name: a `hosts/changed` notification updates one in place. */
  private hostNodes = new Map<string, Extract<HostNode, { kind: 'host' }>>();
  private readonly disposables: vscode.Disposable[] = [];

  constructor(private readonly client: LanguageClient) {
    this.disposables.push(
      this.changed,
      this.loadedEmitter,
      client.onNotification(HostNotifications.hostChanged, (p) => void this.hostChanged(p.host)),
    );
  }

  /** A read of `name` ended: its node shows the versions (or the error) it learnt, its children as they were. */
  private async hostChanged(name: string): Promise<void> {
    const node = this.hostNodes.get(name);
    if (!node) return;
    const list = await this.client.sendRequest(HostRequests.list, {});
    const now = list.hosts.find((h) => h.name === name);
    if (!now || JSON.stringify(now) === JSON.stringify(node.host)) return;
    node.host = now;
    this.changed.fire(node);
  }

  refresh(): void {
    this.refreshing = true;
    this.changed.fire(undefined);
  }

  async getChildren(node?: HostNode): Promise<HostNode[]> {
    const children = await this.load(node);
    this.loadedEmitter.fire({ parent: node, children });
    return children;
  }

  private async load(node?: HostNode): Promise<HostNode[]> {
    if (!node) {
      const list = await this.client.sendRequest(HostRequests.list, { refresh: this.refreshing });
      this.hostNodes = new Map(list.hosts.map((host) => [host.name, { kind: 'host', host }]));
      if (!list.enabled) return []; // the view's welcome content says why
      return [...this.hostNodes.values()];
    }
    if (node.kind === 'host') return GROUPS.map((g) => ({ kind: 'group', host: node.host.name, group: g.group }));
    if (node.kind === 'pf') return node.pf.vfs.map((vf) => ({ kind: 'vf', host: node.host, vf }));
    if (node.kind !== 'group') return [];
    const refresh = this.refreshing;
    try {
      return await vscode.window.withProgress(
        { location: { viewId: 'migratable.hosts' }, title: `Reading ${node.host}…` },
        async (_p, token) => {
          const params = { host: node.host, refresh };
          if (node.group === 'domains') {
            const domains = await this.client.sendRequest(HostRequests.domains, params, token);
            return domains.length
              ? domains.map((domain): HostNode => ({ kind: 'domain', host: node.host, domain }))
              : [message('no domains')];
          }
          if (node.group === 'networks') {
            const networks = await this.client.sendRequest(HostRequests.networks, params, token);
            return networks.length
              ? networks.map((network): HostNode => ({ kind: 'network', host: node.host, network }))
              : [message('no networks')];
          }
          const pfs = await this.client.sendRequest(HostRequests.sriov, params, token);
          return pfs.length ? pfs.map((pf): HostNode => ({ kind: 'pf', host: node.host, pf })) : [message('no SR-IOV devices')];
        },
      );
    } catch (e) {
      return [message((e as Error).message, true)];
    } finally {
      this.refreshing = false;
    }
  }

  getTreeItem(node: HostNode): vscode.TreeItem {
    switch (node.kind) {
      case 'host': {
        const h = node.host;
        const item = new vscode.TreeItem(h.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.description = h.error
          ? 'unreachable'
          : h.versions
            ? `libvirt ${h.versions.libvirt ?? '?'}, QEMU ${h.versions.qemu ?? '?'}`
            : h.reading
              ? 'reading…'
              : h.uri;
        item.tooltip = [h.uri, h.error, ...(h.partial ?? []).map((p) => `not read: ${p}`)].filter(Boolean).join('\n');
        item.iconPath = new vscode.ThemeIcon(h.error ? 'error' : h.reading && !h.versions ? 'loading~spin' : 'server');
        item.contextValue = 'migratable.host';
        return item;
      }
      case 'group': {
        const g = GROUPS.find((x) => x.group === node.group)!;
        const item = new vscode.TreeItem(g.label, vscode.TreeItemCollapsibleState.Collapsed);
        item.iconPath = new vscode.ThemeIcon(g.icon);
        item.id = `${node.host}/${node.group}`;
        return item;
      }
      case 'domain': {
        const d = node.domain;
        const item = new vscode.TreeItem(d.name, vscode.TreeItemCollapsibleState.None);
        item.description = `${d.state ?? ''}${d.state ? ' · ' : ''}${d.verdict}`;
        item.tooltip = [`${d.name} on ${node.host}: ${d.verdict}`, ...d.details].join('\n');
        item.iconPath = new vscode.ThemeIcon(
          d.blockers === 0 && d.verdict === 'migratable' ? 'pass' : 'warning',
          new vscode.ThemeColor(d.blockers === 0 && d.verdict === 'migratable' ? 'testing.iconPassed' : 'list.warningForeground'),
        );
        item.contextValue = 'migratable.domain';
        item.resourceUri = domainUri(node.host, d.name);
        item.command = { command: Commands.openHostDomain, title: 'Open Definition', arguments: [node] };
        return item;
      }
      case 'network': {
        const n = node.network;
        const item = new vscode.TreeItem(n.name, vscode.TreeItemCollapsibleState.None);
        const parts = [n.active === false ? 'inactive' : '', n.forwardMode ?? '', n.bridge ? `bridge ${n.bridge}` : ''];
        if (n.vfs) parts.push(`${n.vfs.total} VFs, ${n.vfs.inUse} in use`);
        item.description = parts.filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(n.forwardMode === 'hostdev' ? 'circuit-board' : 'globe');
        return item;
      }
      case 'pf': {
        const p = node.pf;
        const item = new vscode.TreeItem(p.address, vscode.TreeItemCollapsibleState.Collapsed);
        const used = p.vfs.filter((v) => v.usedBy.length).length;
        item.description = `${p.vendorProduct}${p.netInterface ? ` ${p.netInterface}` : ''} · ${p.vfs.length} VFs, ${used} in use`;
        item.tooltip = [
          p.productName,
          p.driver ? `driver ${p.driver}` : undefined,
          p.maxVfs !== undefined ? `up to ${p.maxVfs} VFs` : undefined,
        ]
          .filter(Boolean)
          .join('\n');
        item.iconPath = new vscode.ThemeIcon('circuit-board');
        return item;
      }
      case 'vf': {
        const v = node.vf;
        const item = new vscode.TreeItem(v.address, vscode.TreeItemCollapsibleState.None);
        const parts = [
          v.vendorProduct,
          v.driver ?? 'no driver',
          v.mac,
          v.usedBy.length ? `used by ${v.usedBy.join(', ')}` : 'free',
        ];
        if (v.pools.length) parts.push(`pool ${v.pools.join(', ')}`);
        item.description = parts.filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(v.usedBy.length ? 'debug-stackframe-dot' : 'circle-outline');
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.tooltip ?? node.text;
        if (node.error) item.iconPath = new vscode.ThemeIcon('error', new vscode.ThemeColor('errorForeground'));
        return item;
      }
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}

function message(text: string, error = false): HostNode {
  return { kind: 'message', text, error };
}
