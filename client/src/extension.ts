import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import {
  Commands,
  CONFIG_SECTION,
  DOMAIN_SCHEME,
  LANGUAGE_CLIENT_ID,
  SERVER_EXEC_ARGV,
  type InitializationOptions,
} from '../../server/src/protocol';
import { PreviewCodeLens } from './codeLens';
import { HostCommands } from './hosts/commands';
import { HostsConfig } from './hosts/config';
import { DomainFileSystem } from './hosts/domainFs';
import { MigrationUi } from './hosts/migration';
import { HostsView } from './hosts/view';
import { copyMigrateCommand, saveDestinationAs } from './commands/destination';
import { openExample } from './commands/example';
import { insertGeneratedMac, insertTeamingPair, makeMigratable } from './commands/fixes';
import { DomainDocuments } from './domains';
import { Notifier } from './notify';
import { DestinationPreview } from './preview';
import { ReadinessReport } from './report';
import { ServerApi } from './server';
import { ReadinessStatus } from './statusBar';

let client: LanguageClient | undefined;

/** XML files on disk, untitled XML and domains on hosts (libvirt-domain:); the server ignores XML whose root is not <domain>. */
const DOMAIN_SELECTOR = [
  { language: 'xml', scheme: 'file' },
  { language: 'xml', scheme: 'untitled' },
  { language: 'xml', scheme: DOMAIN_SCHEME },
];

/** What the extension exposes to its own in-editor tests (test/e2e). */
export interface MigratableApi {
  status: ReadinessStatus;
  domains: DomainDocuments;
  server: ServerApi;
  preview: DestinationPreview;
  report: ReadinessReport;
  hostsView: HostsView;
  hostCommands: HostCommands;
  migrations: MigrationUi;
  domainFs: DomainFileSystem;
}

export async function activate(context: vscode.ExtensionContext): Promise<MigratableApi> {
  const output = vscode.window.createOutputChannel('Migratable Domains', { log: true });
  context.subscriptions.push(output);
  const serverModule = vscode.Uri.joinPath(context.extensionUri, 'server', 'out', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: SERVER_EXEC_ARGV } },
    debug: {
      module: serverModule,
      transport: TransportKind.ipc,
      options: { execArgv: [...SERVER_EXEC_ARGV, '--nolazy', '--inspect=6009'] },
    },
  };
  const initializationOptions: InitializationOptions = {
    rulesDoc: vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md').toString(),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: DOMAIN_SELECTOR,
    synchronize: { configurationSection: CONFIG_SECTION },
    outputChannel: output,
    initializationOptions,
  };
  // the id makes vscode-languageclient read the `migratable.trace.server` setting
  client = new LanguageClient(LANGUAGE_CLIENT_ID, 'Migratable Domains', serverOptions, clientOptions);
  await client.start();
  output.info(`language server started (${serverModule})`);

  const server = new ServerApi(client);
  const notifier = new Notifier(output);
  const preview = new DestinationPreview(server, notifier);
  const domains = new DomainDocuments((uri) => preview.sourceOf(uri));
  const status = new ReadinessStatus(server, preview);
  // hosts: the server runs virsh for them, configured from machine settings, in trusted workspaces only
  const hostsConfig = new HostsConfig(client);
  const hostCommands = new HostCommands(client, hostsConfig, output);
  const report = new ReadinessReport(server, preview, hostCommands);
  context.subscriptions.push(
    domains,
    status,
    report,
    preview,
    vscode.languages.registerCodeLensProvider(DOMAIN_SELECTOR, new PreviewCodeLens(server, preview)),
    vscode.commands.registerCommand(Commands.showReport, () => report.show(domains.current())),
    vscode.commands.registerCommand(Commands.openExample, () => openExample(context.extensionUri, domains)),
    vscode.commands.registerCommand(Commands.makeMigratable, () => makeMigratable(server, domains, notifier)),
    vscode.commands.registerCommand(Commands.insertTeamingPair, () => insertTeamingPair(server, domains)),
    vscode.commands.registerCommand(Commands.generateMac, () => insertGeneratedMac(server, domains)),
    // from the CodeLens: a profile; from the editor title: the domain's own uri; from the palette: nothing
    vscode.commands.registerCommand(Commands.previewDestination, (arg?: unknown) => {
      const uri = arg instanceof vscode.Uri ? arg : undefined;
      const isProfile = !!uri && /\.json$/i.test(uri.path);
      const source =
        uri && !isProfile ? vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()) : undefined;
      return preview.show(source ?? domains.current(), isProfile ? uri : undefined);
    }),
    vscode.commands.registerCommand(Commands.saveDestinationAs, (arg?: unknown) =>
      saveDestinationAs(preview, domains, notifier, arg),
    ),
    vscode.commands.registerCommand(Commands.copyMigrateCommand, (arg?: unknown) =>
      copyMigrateCommand(preview, domains, notifier, arg),
    ),
  );

  const hostsView = new HostsView(client);
  const migrations = new MigrationUi(client, hostCommands, output);
  const domainFs = new DomainFileSystem(client, output);
  context.subscriptions.push(
    hostsConfig,
    hostsView,
    migrations,
    domainFs,
    hostsConfig.onDidChange(() => hostsView.refresh()),
    vscode.window.createTreeView('migratable.hosts', { treeDataProvider: hostsView, showCollapseAll: true }),
    vscode.workspace.registerFileSystemProvider(DOMAIN_SCHEME, domainFs, { isCaseSensitive: true }),
    vscode.commands.registerCommand(Commands.refreshHosts, () => hostsView.refresh()),
    vscode.commands.registerCommand(Commands.openHostDomain, (node?: unknown) => hostCommands.openDomain(node as never)),
    vscode.commands.registerCommand(Commands.compareWithHost, (uri?: vscode.Uri) => hostCommands.compareWithHost(uri)),
    vscode.commands.registerCommand(Commands.profileFromHost, (arg?: unknown, o?: { dest?: string }) =>
      hostCommands.profileFromHost(arg, o),
    ),
    vscode.commands.registerCommand(Commands.checkDestination, (arg?: unknown, o?: { dest?: string }) =>
      hostCommands.checkDestination(arg, o),
    ),
    vscode.commands.registerCommand(Commands.migrateDomain, (arg?: unknown, o?: { dest?: string }) => migrations.migrate(arg, o)),
  );
  return { status, server, preview, report, domains, hostsView, hostCommands, migrations, domainFs };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
