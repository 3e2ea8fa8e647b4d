import type * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { DOMAIN_SCHEME, Requests, type FixAllResponse, type Readiness, type RewriteResponse } from '../../server/src/protocol';

/** Typed access to the server's custom requests: the client asks, the language service answers. */
export class ServerApi {
  constructor(readonly client: LanguageClient) {}

  async readiness(document: vscode.TextDocument): Promise<Readiness | null> {
    return this.client.sendRequest(Requests.readiness, { uri: document.uri.toString() });
  }

  async rewrite(document: vscode.TextDocument, profileText: string): Promise<RewriteResponse | null> {
    return this.client.sendRequest(Requests.rewrite, { uri: document.uri.toString(), profileText });
  }

  async fixAll(document: vscode.TextDocument): Promise<FixAllResponse | null> {
    return this.client.sendRequest(Requests.fixAll, { uri: document.uri.toString() });
  }

  async generateMac(document: vscode.TextDocument): Promise<string | null> {
    return this.client.sendRequest(Requests.generateMac, { uri: document.uri.toString() });
  }

  async teamingPairSnippet(document: vscode.TextDocument, position: vscode.Position): Promise<string | null> {
    return this.client.sendRequest(Requests.teamingPairSnippet, {
      uri: document.uri.toString(),
      position: { line: position.line, character: position.character },
    });
  }

  async profileTemplate(document: vscode.TextDocument, name: string): Promise<string | null> {
    return this.client.sendRequest(Requests.profileTemplate, { uri: document.uri.toString(), name });
  }
}

export function isXml(document: vscode.TextDocument | undefined): document is vscode.TextDocument {
  return (
    !!document &&
    document.languageId === 'xml' &&
    (document.uri.scheme === 'file' || document.uri.scheme === 'untitled' || document.uri.scheme === DOMAIN_SCHEME)
  );
}
