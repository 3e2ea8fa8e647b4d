import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { Requests } from '../../server/src/protocol';
import type { Readiness } from '../../server/src/service/readiness';

/** Typed access to the server's custom requests: the client asks, the language service answers. */
export class ServerApi {
  constructor(readonly client: LanguageClient) {}

  async readiness(document: vscode.TextDocument): Promise<Readiness | null> {
    return this.client.sendRequest<Readiness | null>(Requests.readiness, { uri: document.uri.toString() });
  }
}

export function isXml(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return !!document && document.languageId === 'xml' && (document.uri.scheme === 'file' || document.uri.scheme === 'untitled');
}
