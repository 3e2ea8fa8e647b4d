import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { Commands, CONFIG_SECTION, LANGUAGE_CLIENT_ID, type InitializationOptions } from '../../server/src/protocol';
import { ReadinessReport } from './report';
import { ServerApi } from './server';
import { ReadinessStatus } from './statusBar';

let client: LanguageClient | undefined;

/** What the extension exposes to its own in-editor tests (test/e2e). */
export interface MigratableApi {
  status: ReadinessStatus;
  server: ServerApi;
}

export async function activate(context: vscode.ExtensionContext): Promise<MigratableApi> {
  const output = vscode.window.createOutputChannel('Migratable Domains', { log: true });
  context.subscriptions.push(output);
  const serverModule = vscode.Uri.joinPath(context.extensionUri, 'server', 'out', 'server.js').fsPath;
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const initializationOptions: InitializationOptions = {
    rulesDoc: vscode.Uri.joinPath(context.extensionUri, 'docs', 'rules.md').toString(),
  };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'xml', scheme: 'file' },
      { language: 'xml', scheme: 'untitled' },
    ],
    synchronize: { configurationSection: CONFIG_SECTION },
    outputChannel: output,
    initializationOptions,
  };
  // the id makes vscode-languageclient read the `migratable.trace.server` setting
  client = new LanguageClient(LANGUAGE_CLIENT_ID, 'Migratable Domains', serverOptions, clientOptions);
  await client.start();
  output.info(`language server started (${serverModule})`);

  const server = new ServerApi(client);
  const status = new ReadinessStatus(server);
  const report = new ReadinessReport(server);
  context.subscriptions.push(status, report, vscode.commands.registerCommand(Commands.showReport, () => report.show()));
  return { status, server };
}

export async function deactivate(): Promise<void> {
  await client?.stop();
  client = undefined;
}
