import Module from 'node:module';
import type { ClientCapabilities } from 'vscode-languageserver-protocol';
import type * as Client from 'vscode-languageclient/node';

/**
 * The client capabilities VS Code's language client sends, computed by the vscode-languageclient the extension
 * ships (so they follow its version) with a stand-in for the `vscode` module, which exists only inside VS Code.
 * Capability filling reads no editor state; the stand-in answers every property with itself and claims a
 * VS Code version the client accepts.
 */
let computed: ClientCapabilities | undefined;

export function vscodeClientCapabilities(): ClientCapabilities {
  return (computed ??= compute());
}

function compute(): ClientCapabilities {
  const stub: any = new Proxy(function () {}, {
    get: (_t, p) => (p === 'then' ? undefined : p === 'version' ? '1.100.0' : p === Symbol.toPrimitive ? () => 0 : stub),
    apply: () => stub,
    construct: () => stub,
  });
  const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
  const load = loader._load;
  loader._load = function (this: unknown, request: string, ...rest: unknown[]) {
    return request === 'vscode' ? stub : load.call(this, request, ...rest);
  };
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { LanguageClient } = require('vscode-languageclient/node') as typeof Client;
    const client = new LanguageClient('bench', 'bench', { module: 'none' }, { documentSelector: [{ language: 'xml' }] });
    const caps = (client as unknown as { computeClientCapabilities(): ClientCapabilities }).computeClientCapabilities();
    if (!caps.textDocument?.diagnostic || !caps.textDocument.completion)
      throw new Error('vscode-languageclient declared no pull diagnostics or completion: the stand-in is out of date');
    return caps;
  } finally {
    loader._load = load;
  }
}
