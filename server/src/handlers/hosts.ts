import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';
import { HostNotifications, HostRequests, type HostsList, type HostsListParams } from '../protocol';
import { domainsOnHost, judgeDefinition, networksOnHost, sriovOnHost } from '../service';
import { definitions, runVirsh, uuidOf, VirshError } from '../virsh';
import type { ServerContext } from './context';
import { param } from './params';

/**
 * The Libvirt Hosts view and the domain files: each request a few virsh processes on the server's side, with a
 * deadline, cancelled with the request. Nothing runs until a trusted client configured the hosts.
 */
export function registerHostHandlers(context: ServerContext, onConfigured: () => void): void {
  const { connection, hosts } = context;

  connection.onNotification(HostNotifications.configure, (config) => {
    hosts.configure(
      config && Array.isArray(config.hosts)
        ? {
            hosts: config.hosts,
            virsh: typeof config.virshPath === 'string' && config.virshPath ? config.virshPath : 'virsh',
            timeoutMs: Math.max(1, Number(config.timeoutSeconds) || 20) * 1000,
          }
        : undefined,
    );
    connection.console.info(
      `hosts: ${config ? `${hosts.names().length} configured` : 'off (untrusted workspace or not configured)'}`,
    );
    onConfigured();
  });

  // the view shows each host at once, as known; hosts never read are read in the background (the client hears
  // `hosts/changed` when each read ends), and all of them again on Refresh
  hosts.onFacts((host) => void connection.sendNotification(HostNotifications.hostChanged, { host }));
  // by method name: a client may send no params at all (the older form of this request)
  connection.onRequest(HostRequests.list.method, (p?: unknown): HostsList => {
    const again = p !== null && typeof p === 'object' && (p as HostsListParams).refresh === true;
    return {
      enabled: hosts.enabled,
      ...(hosts.enabled ? {} : { reason: 'Host features are off in an untrusted workspace.' }),
      hosts: hosts.names().map((name) => {
        const reading = hosts.readInBackground(name, again);
        const facts = hosts.cached(name);
        const error = hosts.lastError(name);
        return {
          name,
          uri: hosts.host(name).displayUri,
          ...(facts ? { versions: { libvirt: facts.versions.libvirt, qemu: facts.versions.qemu } } : {}),
          ...(facts?.errors.length ? { partial: facts.errors } : {}),
          ...(error ? { error: error.message } : {}),
          ...(reading ? { reading } : {}),
        };
      }),
    };
  });

  connection.onRequest(HostRequests.domains, (p, token) => {
    need(p, { host: 'string' });
    return hostCall(context, token, 'listing domains', async (signal) => {
      const facts = await hosts.facts(p.host, { signal, refresh: p.refresh });
      const defs = await definitions(hosts.host(p.host), { signal });
      return domainsOnHost(defs, { name: p.host, facts });
    });
  });

  connection.onRequest(HostRequests.networks, (p, token) => {
    need(p, { host: 'string' });
    return hostCall(context, token, 'listing networks', async (signal) =>
      networksOnHost(await hosts.facts(p.host, { signal, refresh: p.refresh })),
    );
  });

  connection.onRequest(HostRequests.sriov, (p, token) => {
    need(p, { host: 'string' });
    return hostCall(context, token, 'listing SR-IOV devices', async (signal) =>
      sriovOnHost(await hosts.facts(p.host, { signal, refresh: p.refresh })),
    );
  });

  connection.onRequest(HostRequests.readDomain, (p, token) => {
    need(p, { host: 'string', domain: 'string' });
    return hostCall(context, token, `reading ${p.domain}`, (signal) =>
      hosts.host(p.host).domainXml(p.domain, { inactive: true, signal }),
    );
  });

  connection.onRequest(HostRequests.checkDefinition, (p) => {
    need(p, { host: 'string', xml: 'string' });
    return { blockers: judgeDefinition(p.xml, hosts.context(p.host)) };
  });

  connection.onRequest(HostRequests.undefineDomain, (p, token) => {
    need(p, { host: 'string', domain: 'string' });
    return hostCall(context, token, `undefining ${p.domain}`, async (signal) => {
      const host = hosts.host(p.host);
      const r = await runVirsh(host.target, ['undefine', '--', await uuidOf(host, p.domain, { signal })], {
        timeoutMs: hosts.timeoutMs,
        signal,
      });
      hosts.facts(p.host, { refresh: true }).catch(() => undefined);
      return { message: r.stdout.trim() };
    });
  });

  connection.onRequest(HostRequests.defineDomain, (p, token) => {
    need(p, { host: 'string', domain: 'string', xml: 'string' });
    return hostCall(context, token, `defining ${p.domain}`, async (signal) => {
      const r = await hosts.host(p.host).defineXml(p.xml, { signal });
      // the host's definitions changed: the next verdicts read them again
      hosts.facts(p.host, { refresh: true }).catch(() => undefined);
      return { message: r.message };
    });
  });
}

/** Checks the members a host request needs (InvalidParams, -32602, saying which, when one is missing or mistyped). */
export function need(params: unknown, members: Record<string, 'string' | 'number' | 'boolean'>): void {
  param(params, '', 'object');
  for (const [name, kind] of Object.entries(members)) param(params, name, kind);
}

/**
 * Runs a host call for a request: the request's cancellation aborts it (virsh is killed), and a VirshError becomes
 * an error answer with libvirt's one-line message (logged to the output channel, never a stack trace).
 */
export async function hostCall<T>(
  { connection }: ServerContext,
  token: CancellationToken,
  what: string,
  fn: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  try {
    return await fn(abort.signal);
  } catch (e) {
    if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (e instanceof ResponseError) throw e;
    const message = e instanceof VirshError ? e.message : `internal error: ${(e as Error).message}`;
    if (e instanceof VirshError) connection.console.warn(`${what}: ${message}`);
    else connection.console.error(`${what}: ${(e as Error).stack ?? e}`);
    throw new ResponseError(LSPErrorCodes.RequestFailed, message, e instanceof VirshError ? { kind: e.kind } : undefined);
  } finally {
    sub.dispose();
  }
}
