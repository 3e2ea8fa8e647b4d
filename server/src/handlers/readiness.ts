import { Requests } from '../protocol';
import { profileTemplate, readiness } from '../service';
import { runSafe, type ServerContext } from './context';
import { param, uri } from './params';

/** The readiness model (status bar, report, CodeLens) and the destination profile template. */
export function registerReadinessHandlers({ connection, documents, cache, diagnose }: ServerContext): void {
  connection.onRequest(Requests.readiness, async (params) => {
    const document = documents.get(uri(params));
    if (!document) return null;
    const diagnostics = await diagnose(document);
    return runSafe(connection, () => readiness(document, cache.get(document), diagnostics), null, `readiness of ${document.uri}`);
  });

  connection.onRequest(Requests.profileTemplate, (params) => {
    const document = documents.get(uri(params));
    const name = param<string>(params, 'name', 'string');
    if (!document) return null;
    return runSafe(connection, () => profileTemplate(cache.get(document), name), null, `profile template of ${document.uri}`);
  });
}
