#!/usr/bin/env node
// Runs the in-host suite (test/e2e/suite) inside a REAL VS Code, offline:
//   code-server (VS Code 1.139 server + web workbench) runs the extension in its real Node extension host,
//   a headless Debian chromium driven by playwright-core opens the workbench, the suite reports back through
//   the workbench's automation hooks (window.codeAutomationLog / codeAutomationExit).
// With VSCODE_EXECUTABLE set (a desktop VS Code), the same suite runs under @vscode/test-electron instead.
//
// Usage: node test/e2e/run-tests.js [options]      (test/e2e/run.sh provisions and builds first)
//   --vsix FILE        install this packaged extension into a fresh extensions dir and test it, instead of the
//                      repository as extensionDevelopmentPath
//   --extension DIR    extensionDevelopmentPath (default: the repository root)
//   --suite FILE       extensionTestsPath (default: test/e2e/suite/index.js)
//   --workspace DIR    folder to open; it is COPIED into the run folder first (default: test/e2e/workspace)
//   --grep REGEXP      run only the tests whose full title matches
//   --timeout SEC      deadline for the whole suite once the editor is up (default 240, env E2E_TIMEOUT)
//   --screenshot FILE  save a screenshot of the workbench at the end (one is always saved on failure)
//   --keep             keep the run folder (logs, user data) even on success
//   --verbose          also print the workbench's routine log lines
//   --electron         force the @vscode/test-electron path (needs VSCODE_EXECUTABLE)
//   --untrusted        open the workspace in Restricted Mode (workspace trust on, the folder not trusted)
// Exit codes: 0 all passed; 1 a test failed (or no test ran); 2 harness not set up / bad arguments;
//             3 timeout; 4 the editor could not be started (code-server, chromium or the workbench).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const util = require('util');
const H = require('./harness');

const { E2E, ROOT, EXIT, HarnessError, readManifest, userSettings } = H;
const SUMMARY = /^vscode-integration: (\d+) passed, (\d+) failed$/;
const t0 = Date.now();
const log = (...a) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const makeRunDir = () => H.makeRunDir(log);

/** The workspace the suite opens: a throw-away copy of `workspace`, with the repository's examples/ beside it, so
 *  the suite tests the very files the README and `npm start` show. */
function copyWorkspace(from, to) {
  fs.cpSync(from, to, { recursive: true });
  const examples = path.join(ROOT, 'examples');
  if (fs.existsSync(examples) && !fs.existsSync(path.join(to, 'examples')))
    fs.cpSync(examples, path.join(to, 'examples'), { recursive: true });
}

function parseArgs(argv) {
  const o = {
    extension: ROOT,
    suite: path.join(E2E, 'suite', 'index.js'),
    workspace: path.join(E2E, 'workspace'),
    timeout: +(process.env.E2E_TIMEOUT || 240),
    vsix: undefined,
    grep: process.env.E2E_GREP,
    screenshot: undefined,
    keep: !!process.env.E2E_KEEP,
    verbose: !!process.env.VERBOSE,
    electron: false,
    untrusted: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      if (i + 1 >= argv.length) throw new HarnessError(EXIT.SETUP, `${a} needs a value`);
      return argv[++i];
    };
    switch (a) {
      case '--vsix':
        o.vsix = path.resolve(val());
        break;
      case '--extension':
        o.extension = path.resolve(val());
        break;
      case '--suite':
        o.suite = path.resolve(val());
        break;
      case '--workspace':
        o.workspace = path.resolve(val());
        break;
      case '--grep':
        o.grep = val();
        break;
      case '--timeout':
        o.timeout = +val();
        break;
      case '--screenshot':
        o.screenshot = path.resolve(val());
        break;
      case '--keep':
        o.keep = true;
        break;
      case '--verbose':
        o.verbose = true;
        break;
      case '--untrusted':
        o.untrusted = true;
        break;
      case '--electron':
        o.electron = true;
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
        throw new HarnessError(EXIT.SETUP, `unknown argument ${a} (see --help)`);
    }
  }
  if (!(o.timeout > 0)) throw new HarnessError(EXIT.SETUP, '--timeout must be a positive number of seconds');
  for (const [what, p] of [
    ['suite', o.suite],
    ['workspace', o.workspace],
    ['extension', o.extension],
  ]) {
    if (!fs.existsSync(p)) throw new HarnessError(EXIT.SETUP, `${what} not found: ${p}`);
  }
  if (o.vsix && !fs.existsSync(o.vsix)) throw new HarnessError(EXIT.SETUP, `vsix not found: ${o.vsix}`);
  return o;
}

/** An empty extension, as the extensionDevelopmentPath when the extension under test is an installed .vsix. */
function placeholderExtension(run) {
  const dir = path.join(run, 'placeholder');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(
    path.join(dir, 'package.json'),
    JSON.stringify({
      name: 'e2e-placeholder',
      publisher: 'e2e',
      version: '0.0.0',
      engines: { vscode: '*' },
      description: 'lets the workbench run extension tests against an installed extension',
    }),
  );
  return dir;
}

// ---------------------------------------------------------------------------------------------------------------
// code-server + chromium
// ---------------------------------------------------------------------------------------------------------------
async function runInCodeServer(o) {
  const { chromiumBin } = H.requireTools();
  const main = o.vsix ? undefined : path.join(o.extension, readManifest(o.extension).main || 'package.json');
  if (main && !fs.existsSync(main))
    throw new HarnessError(EXIT.SETUP, `the extension is not built: ${main} is missing (run: npm run build)`);

  const run = makeRunDir();
  // Restricted Mode: trust on, no prompt, and the (fresh) folder is not among the trusted ones
  const p = H.profile(run, o.untrusted ? H.untrustedSettings() : userSettings());
  const ws = path.join(run, 'ws');
  copyWorkspace(o.workspace, ws);
  log('run folder', run);

  let mode = 'development',
    expectedPath = o.extension,
    extensionId;
  if (o.vsix) {
    mode = 'vsix';
    log('installing', o.vsix);
    const installed = H.installVsix(p, o.vsix);
    if (installed.output)
      console.log(
        installed.output
          .split('\n')
          .map((l) => '    | ' + l)
          .join('\n'),
      );
    expectedPath = installed.dir;
    extensionId = installed.id;
    log(`installed ${extensionId} ${installed.version} into ${expectedPath}`);
  } else {
    const m = readManifest(o.extension);
    extensionId = `${m.publisher}.${m.name}`;
  }
  // read by the suite (the extension host inherits code-server's environment)
  Object.assign(p.env, {
    E2E_EXTENSION_MODE: mode,
    E2E_EXTENSION_PATH: expectedPath,
    E2E_EXTENSION_ID: extensionId,
    E2E_GREP: o.grep || '',
    E2E_UNTRUSTED: o.untrusted ? '1' : '',
  });

  log(`starting code-server ${readManifest(path.join(H.TOOLS, 'code-server')).version}`);
  // without the smoke-test driver the workbench ignores the test payload and the suite never starts, silently
  const server = await H.startCodeServer(p, {
    extraArgs: ['--vscode-option', 'enable-smoke-test-driver'],
    trust: !o.untrusted,
  });
  let browser,
    page,
    result = { code: EXIT.FAIL };
  const lines = [];
  let printed = 0; // lines of the suite (and other non-routine messages) shown
  try {
    log(`code-server is up on 127.0.0.1:${server.port}`);
    browser = await H.launchChromium(p, chromiumBin);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    let done,
      exited = false;
    const finished = new Promise((r) => (done = r));
    const NOISE =
      /open-vsx\.org|Resolving connection token|Resolved connection token|Creating a socket|reconnection-grace-time|builtin extensions cache|Service Worker|AgentHost|AccountPolicyGate|waiting for authentication provider|Creation of workbench contribution|\[Extension Host\] \(node:\d+\) \[DEP|ExperimentalWarning|Use `node --trace-/;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const msg = util.format(...(args || []));
      if (exited && !o.verbose) return; // the workbench's "Canceled" noise while it stops the extension host
      for (const l of msg.split('\n')) lines.push(l.trim());
      if (o.verbose || !NOISE.test(msg)) {
        printed++;
        (type === 'error' ? console.error : console.log)(msg);
      }
    });
    await page.exposeFunction('codeAutomationExit', (code) => {
      exited = true;
      done(code);
    });
    page.on('console', (m) => {
      if (process.env.BROWSER_CONSOLE) console.log('[browser]', m.text());
    });
    page.on('pageerror', (e) => console.log('[workbench page error]', e.message));

    // The workbench starts extension tests only in an extension development host: with a .vsix, the development
    // path is an empty placeholder extension, and the installed extension is the one under test.
    const devPath = mode === 'development' ? o.extension : placeholderExtension(run);
    const payload = [
      ['extensionDevelopmentPath', server.remote(devPath)],
      ['extensionTestsPath', server.remote(o.suite)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
    log(`opening the workbench (${mode === 'vsix' ? 'installed ' + extensionId : 'extensionDevelopmentPath ' + o.extension})`);
    await H.openWorkbench(page, server.url(ws, payload), p.logFile);
    log(`workbench loaded; running ${path.relative(ROOT, o.suite)} (deadline ${o.timeout} s)`);
    let timer;
    const res = await Promise.race([
      finished,
      new Promise((r) => (timer = setTimeout(() => r('timeout'), o.timeout * 1000))),
      server.exited.then(() => 'cs-exit'),
    ]);
    clearTimeout(timer);
    if (res === 'timeout') {
      result = {
        code: EXIT.TIMEOUT,
        why:
          `the suite did not finish within ${o.timeout} s` +
          (printed ? '' : ' (and printed nothing: did the extension host start the tests at all?)'),
      };
    } else if (res === 'cs-exit') {
      result = {
        code: EXIT.NO_EDITOR,
        why: `code-server exited (${server.exitCode()}) while the suite was running\n${H.tail(p.logFile)}`,
      };
    } else {
      const summaries = lines.map((l) => SUMMARY.exec(l)).filter(Boolean);
      const s = summaries[summaries.length - 1];
      if (res !== 0) result = { code: EXIT.FAIL, why: `the extension host reported exit code ${res}` };
      else if (!s)
        result = { code: EXIT.FAIL, why: 'the extension host exited 0 but the suite printed no "vscode-integration:" summary' };
      else if (+s[2] > 0 || +s[1] === 0) result = { code: EXIT.FAIL, why: `suite summary: ${s[0]}` };
      else result = { code: EXIT.PASS, why: s[0] };
    }
  } catch (e) {
    result =
      e instanceof HarnessError
        ? { code: e.exitCode, why: e.message }
        : { code: EXIT.NO_EDITOR, why: `harness error: ${e.stack || e}` };
  } finally {
    const shot = o.screenshot || (result.code !== EXIT.PASS ? path.join(run, 'workbench.png') : undefined);
    if (page && shot) {
      try {
        await page.screenshot({ path: shot, timeout: 10000 });
        log('screenshot', shot);
      } catch (e) {
        log('screenshot failed:', e.message.split('\n')[0]);
      }
    }
    try {
      if (browser) await browser.close();
    } catch {
      /* already gone */
    }
    await server.stop();
  }
  if (result.code === EXIT.PASS && !o.keep) fs.rmSync(run, { recursive: true, force: true, maxRetries: 10 });
  else
    log(
      `run folder kept: ${run} (code-server.log; ud/logs/*/exthost1/ holds the extension host's logs and the extension's output channel${fs.existsSync(path.join(run, 'workbench.png')) ? '; workbench.png' : ''})`,
    );
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// desktop VS Code + @vscode/test-electron (where a VS Code executable is available; not exercised on this machine)
// ---------------------------------------------------------------------------------------------------------------
async function runInElectron(o) {
  const exe = process.env.VSCODE_EXECUTABLE;
  if (!exe || !fs.existsSync(exe))
    throw new HarnessError(EXIT.SETUP, `VSCODE_EXECUTABLE must name a desktop VS Code executable (got ${exe || 'nothing'})`);
  let testElectron;
  try {
    testElectron = require(require.resolve('@vscode/test-electron', { paths: [ROOT] }));
  } catch {
    throw new HarnessError(EXIT.SETUP, '@vscode/test-electron is not installed (it is a devDependency: npm ci)');
  }
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    log('warning: no DISPLAY: desktop VS Code needs one on Linux (run under xvfb-run -a)');
  }
  const run = makeRunDir();
  const userData = path.join(run, 'ud'),
    extDir = path.join(run, 'ext'),
    ws = path.join(run, 'ws');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extDir);
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(), null, 2));
  copyWorkspace(o.workspace, ws);
  let extensionDevelopmentPath = o.extension,
    mode = 'development',
    expectedPath = o.extension;
  const m0 = readManifest(o.extension);
  let extensionId = `${m0.publisher}.${m0.name}`;
  // runTests adds --no-sandbox --disable-gpu-sandbox --disable-updates --skip-welcome --skip-release-notes
  // --disable-workspace-trust; the first launch argument is the folder to open
  const launchArgs = [ws, '--user-data-dir', userData, '--extensions-dir', extDir, '--disable-gpu', '--disable-telemetry'];
  if (o.vsix) {
    mode = 'vsix';
    const [cli, ...cliArgs] = testElectron.resolveCliArgsFromVSCodeExecutablePath(exe);
    const r = spawnSync(
      cli,
      [...cliArgs, '--extensions-dir', extDir, '--user-data-dir', userData, '--install-extension', o.vsix],
      { encoding: 'utf8', stdio: 'inherit', shell: process.platform === 'win32' },
    );
    const installed = fs.readdirSync(extDir).filter((d) => fs.existsSync(path.join(extDir, d, 'package.json')));
    if (r.status !== 0 || installed.length !== 1)
      throw new HarnessError(EXIT.NO_EDITOR, `installing ${o.vsix} failed (exit ${r.status})`);
    expectedPath = path.join(extDir, installed[0]);
    const m = readManifest(expectedPath);
    extensionId = `${m.publisher}.${m.name}`;
    // as with code-server: tests run only in an extension development host, so develop an empty placeholder
    extensionDevelopmentPath = placeholderExtension(run);
  } else {
    launchArgs.push('--disable-extensions'); // installed extensions off; the one under development and built-ins run
  }
  log(`running the suite in desktop VS Code (${exe}) with @vscode/test-electron (${mode})`);
  // runTests pipes VS Code's output (the extension host's console included) to our stdout: read the summary from it
  const lines = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = (chunk, ...rest) => {
    for (const l of String(chunk).split('\n')) lines.push(l.trim());
    return write(chunk, ...rest);
  };
  let timer, result;
  try {
    const res = await Promise.race([
      testElectron
        .runTests({
          vscodeExecutablePath: exe,
          extensionDevelopmentPath,
          extensionTestsPath: o.suite,
          launchArgs,
          extensionTestsEnv: {
            E2E_EXTENSION_MODE: mode,
            E2E_EXTENSION_PATH: expectedPath,
            E2E_EXTENSION_ID: extensionId,
            E2E_GREP: o.grep || '',
          },
        })
        .then(
          () => 'ok',
          (e) => e,
        ),
      new Promise((r) => (timer = setTimeout(() => r('timeout'), o.timeout * 1000))),
    ]);
    clearTimeout(timer);
    const s = lines
      .map((l) => SUMMARY.exec(l))
      .filter(Boolean)
      .pop();
    if (res === 'timeout') {
      // end the VS Code we started: our descendant processes, by pid
      for (const pid of H.descendants(process.pid)) {
        try {
          process.kill(pid, 'SIGTERM');
        } catch {
          /* gone */
        }
      }
      result = { code: EXIT.TIMEOUT, why: `the suite did not finish within ${o.timeout} s` };
    } else if (res !== 'ok')
      result = { code: EXIT.FAIL, why: `@vscode/test-electron: ${res && res.message}${s ? ` (${s[0]})` : ''}` };
    else if (!s) result = { code: EXIT.FAIL, why: 'VS Code exited 0 but the suite printed no "vscode-integration:" summary' };
    else if (+s[2] > 0 || +s[1] === 0) result = { code: EXIT.FAIL, why: `suite summary: ${s[0]}` };
    else result = { code: EXIT.PASS, why: s[0] };
  } finally {
    process.stdout.write = write;
  }
  if (result.code === EXIT.PASS && !o.keep) fs.rmSync(run, { recursive: true, force: true, maxRetries: 10 });
  else log(`run folder kept: ${run}`);
  return result;
}

(async () => {
  let result;
  try {
    const o = parseArgs(process.argv.slice(2));
    result = o.electron || process.env.VSCODE_EXECUTABLE ? await runInElectron(o) : await runInCodeServer(o);
  } catch (e) {
    result =
      e instanceof HarnessError
        ? { code: e.exitCode, why: e.message }
        : { code: EXIT.NO_EDITOR, why: `harness error: ${e.stack || e}` };
  }
  const label = { 0: 'PASSED', 1: 'FAILED', 2: 'NOT SET UP', 3: 'TIMED OUT', 4: 'EDITOR DID NOT START' }[result.code] || 'FAILED';
  log(`${label}: ${result.why} (exit ${result.code})`);
  process.exit(result.code);
})();
