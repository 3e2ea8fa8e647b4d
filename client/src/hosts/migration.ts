import { randomUUID } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  CONFIG_SECTION,
  ClientRequests,
  DOMAIN_SCHEME,
  HostNotifications,
  HostRequests,
  type MigrateResult,
  type MigrationEvent,
} from '../../../server/src/protocol';
import type { HostCommands } from './commands';
import { profileFor } from './commands';
import { parseDomainUri } from './domainFs';
import type { HostNode } from './view';

/** What a running migration shows: its progress notification and its lines in the output channel. */
interface Running {
  label: string;
  progress?: vscode.Progress<{ message?: string; increment?: number }>;
  percent: number;
}

/**
 * "Migrate Domain…": preflight, then `virsh migrate --live --persistent --undefinesource` on the server, shown as a
 * cancellable progress notification with the job's percentage. The server asks (through requests to the client)
 * when the guest does not release its VF, and whether to re-attach a VF the guest ejected after an abort.
 */
export class MigrationUi implements vscode.Disposable {
  private readonly running = new Map<string, Running>();
  private readonly disposables: vscode.Disposable[] = [];
  /** Fires with every migration event (tests wait on it). */
  private readonly eventEmitter = new vscode.EventEmitter<{ id: string; event: MigrationEvent }>();
  readonly onDidEvent = this.eventEmitter.event;
  /** How a question about a stuck unplug is answered when nobody clicks (tests set it). */
  answerStuckUnplug: (() => Promise<'abort' | 'wait'>) | undefined;
  /** Asks before a migration starts; tests answer it (a modal dialog cannot be clicked there). */
  confirm: (message: string, detail: string) => Promise<boolean> = async (message, detail) =>
    (await vscode.window.showWarningMessage(message, { modal: true, detail }, 'Migrate')) === 'Migrate';

  constructor(
    private readonly client: LanguageClient,
    private readonly commands: HostCommands,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.disposables.push(
      this.eventEmitter,
      client.onNotification(HostNotifications.migrationEvent, (p) => this.onEvent(p.id, p.event)),
      client.onRequest(ClientRequests.stuckUnplug, async (p, token) => {
        this.log.warn(`${p.domain}: the guest has not released its VF for ${p.seconds} s`);
        // the server withdraws the question when the migration ends first (the guest released it late, or it failed)
        const withdrawn = new Promise<'wait'>((resolve) => token.onCancellationRequested(() => resolve('wait')));
        if (this.answerStuckUnplug) return Promise.race([this.answerStuckUnplug(), withdrawn]);
        const abort = 'Abort Migration';
        const wait = 'Keep Waiting';
        const question = vscode.window.showWarningMessage(
          `${p.domain}: the guest has not released its VF for ${p.seconds} s (no PCI hot-unplug handling, paused, or hung). ` +
            'Aborting takes QEMU about 30 s; the domain keeps running here with its VF, but a guest that later ejects it loses it.',
          abort,
          wait,
        );
        const a = await Promise.race([question, withdrawn]);
        return a === abort ? 'abort' : 'wait';
      }),
      client.onRequest(ClientRequests.reattach, async (p) => {
        const yes = 'Re-attach';
        const a = await vscode.window.showWarningMessage(
          `${p.domain} on ${p.host}: after the aborted migration the guest ejected ${p.devices.join(', ')}; nothing plugs it back by itself.`,
          yes,
        );
        return a === yes;
      }),
    );
  }

  private onEvent(id: string, event: MigrationEvent): void {
    this.eventEmitter.fire({ id, event });
    const r = this.running.get(id);
    const label = r?.label ?? id;
    switch (event.event) {
      case 'phase':
        this.log.info(`${label}: ${event.phase}${event.detail ? `: ${event.detail}` : ''}`);
        r?.progress?.report({ message: event.phase });
        break;
      case 'progress':
        if (r) {
          const increment = Math.max(0, event.percent - r.percent);
          r.percent = Math.max(r.percent, event.percent);
          r.progress?.report({ message: `${event.percent} %`, increment });
        }
        break;
      case 'wait-unplug':
        this.log.warn(`${label}: waiting ${event.seconds} s for the guest to release its VF (QEMU wait-unplug)`);
        r?.progress?.report({ message: `waiting for the guest to release its VF (${event.seconds} s)` });
        break;
      case 'log':
        this.log.info(`${label}: ${event.message}`);
        break;
      case 'done':
        this.log.info(`${label}: ${event.detail}`);
        break;
      case 'error':
        this.log.error(`${label}: ${event.message}${event.runningOn ? ` (running on ${event.runningOn})` : ''}`);
        break;
    }
  }

  /** `options.dest` names the destination host (a keybinding or task may pass it); otherwise it is asked. */
  async migrate(arg?: unknown, options?: { dest?: string }): Promise<MigrateResult | undefined> {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showInformationMessage('Migratable: migrations run virsh and are off in an untrusted workspace.');
      return undefined;
    }
    let host: string | undefined, domain: string | undefined;
    const node = arg as HostNode | undefined;
    const uri = arg instanceof vscode.Uri ? arg : vscode.window.activeTextEditor?.document.uri;
    if (node?.kind === 'domain') ({ host, domain } = { host: node.host, domain: node.domain.name });
    else if (uri?.scheme === DOMAIN_SCHEME) ({ host, domain } = parseDomainUri(uri));
    else {
      host = await this.commands.pickHost('Host the domain runs on');
      domain = host && (await this.commands.pickDomain(host, 'Domain to migrate'));
    }
    if (!host || !domain) return undefined;
    const dest = options?.dest ?? (await this.commands.pickHost(`Migrate ${domain} from ${host} to`, host));
    if (!dest) return undefined;
    const key = `${host}/${domain}`;
    if ([...this.running.values()].some((r) => r.label === key)) {
      void vscode.window.showWarningMessage(`Migratable: ${domain} on ${host} is already migrating.`);
      return undefined;
    }
    const profileText = await profileFor(dest);
    const confirmed = await this.confirm(
      `Live-migrate ${domain} from ${host} to ${dest}?`,
      `The destination is checked first. Then virsh migrate --live --persistent --undefinesource` +
        `${profileText !== undefined ? ` --xml (${dest}.migration.json)` : ''}; its VFs are unplugged on ${host} and plugged again on ${dest}.`,
    );
    if (!confirmed) return undefined;
    const id = randomUUID();
    const running: Running = { label: key, percent: 0 };
    this.running.set(id, running);
    const unplugTimeoutSeconds = Number(vscode.workspace.getConfiguration(CONFIG_SECTION).get('unplugTimeout', 30)) || 30;
    try {
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: `Migrating ${domain} to ${dest}`, cancellable: true },
        (progress, token) => {
          running.progress = progress;
          return this.client.sendRequest(
            HostRequests.migrate,
            { id, host, domain, dest, unplugTimeoutSeconds, ...(profileText !== undefined ? { profileText } : {}) },
            token,
          );
        },
      );
      const details = 'Show Details';
      const show = (a: string | undefined) => a === details && this.log.show(true);
      if (result.status === 0) void vscode.window.showInformationMessage(`Migratable: ${result.message}`, details).then(show);
      else if (result.status === 3) void vscode.window.showWarningMessage(`Migratable: ${result.message}`, details).then(show);
      else void vscode.window.showErrorMessage(`Migratable: ${result.message}`, details).then(show);
      void vscode.commands.executeCommand('migratable.refreshHosts');
      return result;
    } catch (e) {
      void vscode.window.showErrorMessage(`Migratable: migration of ${domain}: ${(e as Error).message}`);
      return undefined;
    } finally {
      this.running.delete(id);
    }
  }

  dispose(): void {
    for (const d of this.disposables) d.dispose();
  }
}
