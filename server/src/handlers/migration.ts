import { CancellationTokenSource, ResponseError, LSPErrorCodes } from 'vscode-languageserver';
import { gatherPreflight, migrate, watchAfterAbort, type Endpoint, type PreflightSubject } from '../migrate';
import {
  ClientRequests,
  DOMAIN_SCHEME,
  HostNotifications,
  HostRequests,
  type DomainSource,
  type MigrationEvent,
} from '../protocol';
import { parseText, profileFromHost } from '../service';
import { uuidOf, VirshError } from '../virsh';
import type { ServerContext } from './context';
import { hostCall, need } from './hosts';
import { param } from './params';

/** How long, after an aborted migration, the source is watched for a guest that ejects its VF late. */
const WATCH_AFTER_ABORT_MS = 120_000;

/** Create Destination Profile from Host, Check Destination (preflight) and Migrate Domain. */
export function registerMigrationHandlers(context: ServerContext): void {
  const { connection, hosts, documents, settingsFor } = context;

  const endpoint = (name: string): Endpoint => ({
    name,
    host: hosts.host(name),
    uri: hosts.uri(name),
    facts: (o) => hosts.facts(name, o),
  });

  /** The domain a request names: on a host, an open libvirt-domain: document (its host's domain), or an open file. */
  async function subject(src: DomainSource): Promise<PreflightSubject> {
    if (src.host && src.domain) return { on: endpoint(src.host), domain: src.domain };
    const uri = src.uri ?? '';
    if (uri.startsWith(`${DOMAIN_SCHEME}://`)) {
      const [host, file] = uri.slice(DOMAIN_SCHEME.length + 3).split('/');
      return { on: endpoint(decodeURIComponent(host)), domain: decodeURIComponent(file.replace(/\.xml$/, '')) };
    }
    const document = documents.get(uri);
    if (!document) throw new VirshError('not-found', `${uri} is not open`);
    const target = (await settingsFor(uri)).targetHost;
    return { text: document.getText(), uri, ...(target && hosts.has(target) ? { judgedOn: endpoint(target) } : {}) };
  }

  connection.onRequest(HostRequests.profileFromHost, (p, token) => {
    needSource(p);
    return hostCall(context, token, 'proposing a destination profile', async (signal) => {
      const s = await subject(p);
      const destFacts = hosts.facts(p.dest, { signal });
      let domainText: string;
      let source: Endpoint | undefined;
      if ('on' in s) {
        source = s.on;
        domainText = await s.on.host.domainXml(s.domain, { inactive: true, signal });
      } else {
        source = s.judgedOn;
        domainText = s.text;
      }
      return profileFromHost({
        domain: parseText(domainText, 'inmemory:domain'),
        dest: { name: p.dest, facts: await destFacts },
        destUri: hosts.uri(p.dest),
        ...(source ? { source: { name: source.name, facts: await source.facts({ signal }) } } : {}),
      });
    });
  });

  connection.onRequest(HostRequests.preflight, (p, token) => {
    needSource(p);
    if (p.profileText !== undefined) param(p, 'profileText', 'string');
    return hostCall(context, token, 'checking the destination', async (signal) => {
      const r = await gatherPreflight(await subject(p), endpoint(p.dest), p.profileText, { signal });
      return { checks: r.checks };
    });
  });

  connection.onRequest(HostRequests.migrate, (p, token) => {
    need(p, { id: 'string', host: 'string', domain: 'string', dest: 'string', unplugTimeoutSeconds: 'number' });
    return hostCall(context, token, `migrating ${p.domain}`, async () => {
      const source = endpoint(p.host);
      const dest = endpoint(p.dest);
      const uuid = await uuidOf(source.host, p.domain);
      const release = hosts.tryLock(`${p.host}/${uuid}`);
      if (!release) throw new ResponseError(LSPErrorCodes.RequestFailed, `${p.domain} on ${p.host} is already migrating`);
      const abort = new AbortController();
      const sub = token.onCancellationRequested(() => abort.abort());
      const emit = (event: MigrationEvent) =>
        void connection.sendNotification(HostNotifications.migrationEvent, { id: p.id, at: new Date().toISOString(), event });
      try {
        const outcome = await migrate({
          source,
          dest,
          domain: p.domain,
          ...(p.profileText !== undefined ? { profileText: p.profileText } : {}),
          ...(p.migrateUri || hosts.migrateUri(p.dest) ? { migrateUri: p.migrateUri || hosts.migrateUri(p.dest) } : {}),
          unplugTimeoutMs: Math.max(1, p.unplugTimeoutSeconds) * 1000,
          emit,
          decide: (seconds, withdrawn) => {
            // withdrawn when the migration ends before anyone answers: the client drops the question
            const cts = new CancellationTokenSource();
            withdrawn.addEventListener('abort', () => cts.cancel(), { once: true });
            return connection
              .sendRequest(ClientRequests.stuckUnplug, { id: p.id, domain: p.domain, seconds }, cts.token)
              .finally(() => cts.dispose());
          },
          signal: abort.signal,
        });
        if (outcome.afterAbort) {
          const after = outcome.afterAbort;
          void watchAfterAbort(source, p.domain, after, WATCH_AFTER_ABORT_MS, emit, (devices) =>
            connection.sendRequest(ClientRequests.reattach, { id: p.id, domain: p.domain, host: p.host, devices }),
          );
        }
        for (const h of [p.host, p.dest]) hosts.facts(h, { refresh: true }).catch(() => undefined);
        const { afterAbort: _after, ...result } = outcome;
        return result;
      } finally {
        sub.dispose();
        release();
      }
    });
  });
}

/** A domain source: `uri`, or `host` and `domain`; and the destination `dest`. */
function needSource(p: unknown): void {
  need(p, { dest: 'string' });
  const s = p as { uri?: unknown; host?: unknown; domain?: unknown };
  if (s.uri !== undefined) param(p, 'uri', 'string');
  else need(p, { host: 'string', domain: 'string' });
}
