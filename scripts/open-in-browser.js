#!/usr/bin/env node
// Opens a folder (default: examples/) in the browser VS Code of the e2e harness (code-server on 127.0.0.1) with the
// packaged extension installed into a fresh extensions folder, prints the URL, and stays up until Ctrl-C.
// For `npm start` on a machine without desktop VS Code. The harness is provisioned on first use (test/e2e/setup.sh).
//
// Usage: node scripts/open-in-browser.js [--vsix FILE] [--folder DIR] [--port N]
//   --vsix FILE    the package to install (default: migratable-domains.vsix; build it with npm run package)
//   --folder DIR   the folder to open (default: examples); it is opened in place: edits are saved to it
//   --port N       the port on 127.0.0.1 (default: PORT, else a free one)
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const H = require('../test/e2e/harness');

function parseArgs(argv) {
  const o = {
    vsix: path.join(H.ROOT, 'migratable-domains.vsix'),
    folder: path.join(H.ROOT, 'examples'),
    port: +process.env.PORT || 0,
  };
  for (let i = 0; i < argv.length; i++) {
    const val = () => {
      if (i + 1 >= argv.length) throw new H.HarnessError(H.EXIT.SETUP, `${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case '--vsix':
        o.vsix = path.resolve(val());
        break;
      case '--folder':
        o.folder = path.resolve(val());
        break;
      case '--port':
        o.port = +val();
        break;
      case '-h':
      case '--help':
        console.log(
          fs
            .readFileSync(__filename, 'utf8')
            .split('\n')
            .filter((l) => l.startsWith('//'))
            .map((l) => l.slice(3))
            .join('\n'),
        );
        process.exit(0);
      default:
        throw new H.HarnessError(H.EXIT.SETUP, `unknown argument ${argv[i]} (see --help)`);
    }
  }
  if (!fs.existsSync(o.vsix))
    throw new H.HarnessError(H.EXIT.SETUP, `${path.relative(process.cwd(), o.vsix)} not found: run npm run package first`);
  if (!fs.statSync(o.folder, { throwIfNoEntry: false })?.isDirectory())
    throw new H.HarnessError(H.EXIT.SETUP, `not a folder: ${o.folder}`);
  if (o.port && !(Number.isInteger(o.port) && o.port > 0 && o.port < 65536))
    throw new H.HarnessError(H.EXIT.SETUP, `bad port ${o.port}`);
  return o;
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  // idempotent: well under a second once the tools are there, ~2 minutes the first time
  const setup = spawnSync('bash', [path.join(H.E2E, 'setup.sh')], { stdio: 'inherit' });
  if (setup.status !== 0) throw new H.HarnessError(H.EXIT.SETUP, 'the harness could not be set up (see above)');
  H.requireTools({ browser: false });

  const run = H.makeRunDir();
  // a quiet workbench, but a person's: the walkthrough and the welcome page may show
  const settings = { ...H.userSettings() };
  delete settings['workbench.startupEditor'];
  const p = H.profile(run, settings);
  const installed = H.installVsix(p, o.vsix);
  console.log(`installed ${installed.id} ${installed.version} from ${path.relative(process.cwd(), o.vsix) || o.vsix}`);
  const server = await H.startCodeServer(p, { port: o.port });
  let stopping = false;
  const stop = async (why) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${why}: stopping code-server`);
    await server.stop();
    fs.rmSync(run, { recursive: true, force: true, maxRetries: 10 });
    process.exit(0);
  };
  process.on('SIGINT', () => stop('Ctrl-C'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  server.exited.then((code) => {
    if (stopping) return;
    console.error(`code-server exited (${code}); its log:\n${H.tail(p.logFile)}`);
    process.exit(1);
  });
  console.log(
    `\nVS Code (browser) with Migratable Domains, on ${path.relative(process.cwd(), o.folder) || o.folder}:\n\n  ${server.url(o.folder)}\n`,
  );
  console.log('Open that address in a browser on this machine (it listens on 127.0.0.1 only). Ctrl-C stops it.');
}

main().catch((e) => {
  console.error(`open-in-browser: ${e instanceof H.HarnessError ? e.message : e.stack}`);
  process.exit(e instanceof H.HarnessError ? e.exitCode : 1);
});
