import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Commands, CONFIG_SECTION, DEFAULT_SETTINGS } from '../../server/src/protocol';
import { ROOT } from '../helpers/paths';

const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
const contributed: { command: string; title: string; category?: string }[] = manifest.contributes.commands;

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    return statSync(p).isDirectory() ? sources(p) : p.endsWith('.ts') ? [p] : [];
  });
}
const clientCode = sources(join(ROOT, 'client', 'src'))
  .map((f) => readFileSync(f, 'utf8'))
  .join('\n');

describe('package.json is a contract the code keeps', () => {
  it('contributes exactly the command ids of protocol/index.ts, each in the "Migratable" category', () => {
    assert.deepEqual(contributed.map((c) => c.command).sort(), Object.values(Commands).sort());
    for (const c of contributed) assert.equal(c.category, 'Migratable', c.command);
  });

  it('the client registers every contributed command', () => {
    const registered = [...clientCode.matchAll(/registerCommand\(\s*Commands\.(\w+)/g)].map(
      (m) => (Commands as Record<string, string>)[m[1]],
    );
    assert.deepEqual([...new Set(registered)].sort(), Object.values(Commands).sort());
  });

  // issue #10 item 3: Save/Copy belong on the destination preview (a migratable-dest: document) too
  it('every menu entry names a contributed command and shows only where it applies', () => {
    const ids = new Set(contributed.map((c) => c.command));
    const hostCommands = new Set([
      Commands.refreshHosts,
      Commands.openHostDomain,
      Commands.compareWithHost,
      Commands.profileFromHost,
      Commands.checkDestination,
      Commands.migrateDomain,
    ] as string[]);
    for (const [menu, entries] of Object.entries(
      manifest.contributes.menus as Record<string, { command: string; when?: string }[]>,
    )) {
      for (const e of entries) {
        assert.ok(ids.has(e.command), `${menu}: ${e.command} is not contributed`);
        if (menu.startsWith('view/'))
          assert.match(e.when ?? '', /view == migratable\.hosts/, `${menu}: ${e.command} needs a when clause on the view`);
        else if (hostCommands.has(e.command))
          assert.match(e.when ?? '', /isWorkspaceTrusted/, `${menu}: ${e.command} runs virsh: trusted workspaces only`);
        else
          assert.match(
            e.when ?? '',
            /migratable\.isDomain|resourceScheme == migratable-dest/,
            `${menu}: ${e.command} needs a when clause on migratable.isDomain or the preview's scheme`,
          );
      }
    }
  });

  it('host settings that choose a URI or a program are machine settings, ignored in untrusted workspaces', () => {
    const props = manifest.contributes.configuration.properties as Record<string, { scope?: string }>;
    for (const k of ['hosts', 'virshPath', 'hostTimeout']) assert.equal(props[`${CONFIG_SECTION}.${k}`]?.scope, 'machine', k);
    const trust = manifest.capabilities.untrustedWorkspaces;
    assert.equal(trust.supported, 'limited');
    for (const k of ['hosts', 'virshPath']) assert.ok(trust.restrictedConfigurations.includes(`${CONFIG_SECTION}.${k}`), k);
  });

  it('every setting is read by the server or the client, and every setting read is contributed', () => {
    const props = Object.keys(manifest.contributes.configuration.properties).map((k) => k.replace(`${CONFIG_SECTION}.`, ''));
    const serverRead = Object.keys(DEFAULT_SETTINGS);
    for (const p of props) {
      const readByClient = clientCode.includes(`'${CONFIG_SECTION}.${p}'`) || clientCode.includes(`'${p}'`);
      // trace.server is read by vscode-languageclient itself, from the client id
      assert.ok(serverRead.includes(p) || readByClient || p === 'trace.server', `setting ${p} is never read`);
    }
    for (const k of serverRead) assert.ok(props.includes(k), `the server reads ${k}, which package.json does not contribute`);
    for (const [k, v] of Object.entries(
      manifest.contributes.configuration.properties as Record<string, { markdownDescription?: string; scope?: string }>,
    )) {
      assert.ok(v.markdownDescription, `${k} has no markdownDescription`);
      assert.ok(v.scope, `${k} has no scope`);
    }
  });

  it('the defaults in package.json are the ones the code uses (protocol/settings.ts)', () => {
    const props = manifest.contributes.configuration.properties as Record<string, { default?: unknown }>;
    for (const [k, v] of Object.entries(DEFAULT_SETTINGS)) assert.deepEqual(props[`${CONFIG_SECTION}.${k}`]?.default, v, k);
  });

  it('engines.vscode and @types/vscode agree and stay within what the test harness runs (VS Code 1.139)', () => {
    const engine = /^\^(\d+)\.(\d+)\./.exec(manifest.engines.vscode);
    const types = /^(\d+)\.(\d+)\./.exec(manifest.devDependencies['@types/vscode']);
    assert.ok(engine && types, 'engines.vscode must be ^X.Y.Z and @types/vscode pinned X.Y.Z');
    assert.equal(`${engine[1]}.${engine[2]}`, `${types[1]}.${types[2]}`);
    assert.ok(Number(engine[1]) === 1 && Number(engine[2]) <= 139);
  });
});
