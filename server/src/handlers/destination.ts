import { Requests } from '../protocol';
import { destination } from '../service';
import { runSafe, type ServerContext } from './context';
import { param, uri } from './params';

/** The destination XML for `virsh migrate --xml`: the source document rewritten with a profile the client read. */
export function registerDestinationHandlers({ connection, documents, cache }: ServerContext): void {
  connection.onRequest(Requests.rewrite, (params) => {
    const document = documents.get(uri(params));
    const profileText = param<string>(params, 'profileText', 'string');
    if (!document) return null;
    return runSafe(connection, () => destination(document, cache.get(document), profileText), null, `rewriting ${document.uri}`);
  });
}
