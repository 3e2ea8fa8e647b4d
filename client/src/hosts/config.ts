import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { CONFIG_SECTION, HostNotifications, type HostsConfiguration } from '../../../server/src/protocol';

/**
 * Sends the server the hosts it may talk to: from machine settings only (a workspace never chooses a URI or a
 * program to run), and only in a trusted workspace; otherwise `null`, and the server runs nothing.
 */
export class HostsConfig implements vscode.Disposable {
  private readonly disposables: vscode.Disposable[] = [];
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;

  constructor(private readonly client: LanguageClient) {
    this.disposables.push(
      this.changed,
      vscode.workspace.onDidGrantWorkspaceTrust(() => this.send()),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (['hosts', 'virshPath', 'hostTimeout'].some((k) => e.affectsConfiguration(`${CONFIG_SECTION}.${k}`))) this.send();
      }),
    );
    this.send();
  }

  /** The configuration as the server gets it; null when host features are off. */
  current(): HostsConfiguration | null {
    if (!vscode.workspace.isTrusted) return null;
    const c = vscode.workspace.getConfiguration(CONFIG_SECTION);
    // inspect(): only the user's (machine/user) values, never a workspace's, whatever VS Code would merge
    const user = <T>(key: string, fallback: T): T => {
      const i = c.inspect<T>(key);
      return (i?.globalValue ?? i?.defaultValue ?? fallback) as T;
    };
    const hosts = user<unknown>('hosts', []);
    return {
      hosts: Array.isArray(hosts)
        ? hosts.filter(
            (h): h is { name: string; uri: string; migrateUri?: string } =>
              !!h &&
              typeof h.name === 'string' &&
              typeof h.uri === 'string' &&
              (h.migrateUri === undefined || typeof h.migrateUri === 'string'),
          )
        : [],
      virshPath: String(user('virshPath', 'virsh') || 'virsh'),
      timeoutSeconds: Number(user('hostTimeout', 30)) || 30,
    };
  }

  hostNames(): string[] {
    return this.current()?.hosts.map((h) => h.name) ?? [];
  }

  private send(): void {
    const config = this.current();
    void vscode.commands.executeCommand('setContext', 'migratable.hostsEnabled', config !== null);
    void vscode.commands.executeCommand('setContext', 'migratable.noHosts', config !== null && config.hosts.length === 0);
    void this.client.sendNotification(HostNotifications.configure, config).then(() => this.changed.fire());
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
