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
// Exit codes: 0 all passed; 1 a test failed (or no test ran); 2 harness not set up / bad arguments;
//             3 timeout; 4 the editor could not be started (code-server, chromium or the workbench).
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');
const util = require('util');

const E2E = __dirname;
const ROOT = path.resolve(E2E, '..', '..');
const CACHE = process.env.VSCODE_HARNESS_CACHE ? path.resolve(process.env.VSCODE_HARNESS_CACHE) : path.join(ROOT, '.cache', 'vscode-harness');
const NODE24 = path.join(CACHE, 'node24', 'bin', 'node');
const TOOLS = path.join(CACHE, 'tools', 'node_modules');
const CODE_SERVER = path.join(TOOLS, 'code-server', 'out', 'node', 'entry.js');
const SUMMARY = /^vscode-integration: (\d+) passed, (\d+) failed$/;

const EXIT = { PASS: 0, FAIL: 1, SETUP: 2, TIMEOUT: 3, NO_EDITOR: 4 };
const t0 = Date.now();
const log = (...a) => console.log(`[e2e +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
class HarnessError extends Error {
  constructor(code, message) { super(message); this.exitCode = code; }
}

function parseArgs(argv) {
  const o = {
    extension: ROOT, suite: path.join(E2E, 'suite', 'index.js'), workspace: path.join(E2E, 'workspace'),
    timeout: +(process.env.E2E_TIMEOUT || 240), vsix: undefined, grep: process.env.E2E_GREP, screenshot: undefined,
    keep: !!process.env.E2E_KEEP, verbose: !!process.env.VERBOSE, electron: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => { if (i + 1 >= argv.length) throw new HarnessError(EXIT.SETUP, `${a} needs a value`); return argv[++i]; };
    switch (a) {
      case '--vsix': o.vsix = path.resolve(val()); break;
      case '--extension': o.extension = path.resolve(val()); break;
      case '--suite': o.suite = path.resolve(val()); break;
      case '--workspace': o.workspace = path.resolve(val()); break;
      case '--grep': o.grep = val(); break;
      case '--timeout': o.timeout = +val(); break;
      case '--screenshot': o.screenshot = path.resolve(val()); break;
      case '--keep': o.keep = true; break;
      case '--verbose': o.verbose = true; break;
      case '--electron': o.electron = true; break;
      case '-h': case '--help':
        console.log(fs.readFileSync(__filename, 'utf8').split('\n').filter((l) => l.startsWith('//')).map((l) => l.slice(3)).join('\n'));
        process.exit(0);
      default: throw new HarnessError(EXIT.SETUP, `unknown argument ${a} (see --help)`);
    }
  }
  if (!(o.timeout > 0)) throw new HarnessError(EXIT.SETUP, '--timeout must be a positive number of seconds');
  for (const [what, p] of [['suite', o.suite], ['workspace', o.workspace], ['extension', o.extension]]) {
    if (!fs.existsSync(p)) throw new HarnessError(EXIT.SETUP, `${what} not found: ${p}`);
  }
  if (o.vsix && !fs.existsSync(o.vsix)) throw new HarnessError(EXIT.SETUP, `vsix not found: ${o.vsix}`);
  return o;
}

/** A fresh run folder. VS Code, code-server and chromium put unix sockets in it (limit: 107 characters), so it must be
 *  short: os.tmpdir() unless that is long, then /tmp. E2E_RUNS_DIR overrides. */
function makeRunDir() {
  let base = process.env.E2E_RUNS_DIR || os.tmpdir();
  if (!process.env.E2E_RUNS_DIR && base.length > 20) base = '/tmp';
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'mdv-'));
  if (dir.length > 40) log(`warning: run folder ${dir} is long; unix socket paths under it may exceed 107 characters`);
  return dir;
}

/** Keeps every file VS Code / code-server / chromium would write to the home folder or /tmp inside the run folder. */
function sandbox(run) {
  const env = { XDG_CONFIG_HOME: path.join(run, 'xc'), XDG_DATA_HOME: path.join(run, 'xd'), XDG_CACHE_HOME: path.join(run, 'xk'), TMPDIR: path.join(run, 't') };
  for (const d of Object.values(env)) fs.mkdirSync(d, { recursive: true });
  return env;
}

function userSettings() {
  return {
    'workbench.startupEditor': 'none', 'workbench.tips.enabled': false, 'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off', 'update.mode': 'none', 'extensions.autoUpdate': false, 'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true, 'security.workspace.trust.enabled': false, 'chat.disableAIFeatures': true,
    'git.enabled': false, 'files.autoSave': 'off', 'window.restoreWindows': 'none',
  };
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => res(p)); });
  });
}

function waitHttp(url, ms, isDead) {
  const end = Date.now() + ms;
  return new Promise((res, rej) => {
    const once = () => {
      if (isDead()) return rej(new Error('code-server exited during startup'));
      http.get(url, (r) => { r.resume(); res(r.statusCode); })
        .on('error', (e) => (Date.now() > end ? rej(new Error(`no answer from ${url} within ${ms / 1000} s (${e.message})`)) : setTimeout(once, 250)));
    };
    once();
  });
}

function tail(file, n = 30) {
  try { return fs.readFileSync(file, 'utf8').trimEnd().split('\n').slice(-n).map((l) => '    | ' + l).join('\n'); } catch { return '    | (no log)'; }
}

function findChromium() {
  if (process.env.CHROMIUM_BIN) return process.env.CHROMIUM_BIN;
  return ['/usr/lib/chromium/chromium', '/usr/lib/chromium-browser/chromium-browser'].find((c) => fs.existsSync(c));
}

/** Pids of the processes a process started (children, grandchildren...), from ps (Linux/macOS). */
function descendants(root) {
  const r = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const kids = new Map();
  for (const [pid, ppid] of (r.stdout || '').trim().split('\n').map((l) => l.trim().split(/\s+/).map(Number))) {
    if (!kids.has(ppid)) kids.set(ppid, []);
    kids.get(ppid).push(pid);
  }
  const out = [];
  const walk = (p) => { for (const c of kids.get(p) || []) { if (c !== r.pid) { out.push(c); walk(c); } } };
  walk(root);
  return out;
}

/** An empty extension, as the extensionDevelopmentPath when the extension under test is an installed .vsix. */
function placeholderExtension(run) {
  const dir = path.join(run, 'placeholder');
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({
    name: 'e2e-placeholder', publisher: 'e2e', version: '0.0.0', engines: { vscode: '*' },
    description: 'lets the workbench run extension tests against an installed extension',
  }));
  return dir;
}

function readManifest(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

// ---------------------------------------------------------------------------------------------------------------
// code-server + chromium
// ---------------------------------------------------------------------------------------------------------------
async function runInCodeServer(o) {
  const missing = [];
  if (!fs.existsSync(NODE24)) missing.push(`Node 24 (${NODE24})`);
  if (!fs.existsSync(CODE_SERVER)) missing.push(`code-server (${CODE_SERVER})`);
  if (!fs.existsSync(path.join(TOOLS, 'playwright-core'))) missing.push('playwright-core');
  const chromiumBin = findChromium();
  if (!chromiumBin) missing.push('chromium (apt-get install chromium, or set CHROMIUM_BIN)');
  if (missing.length) throw new HarnessError(EXIT.SETUP, `the harness is not set up, missing: ${missing.join(', ')}\n  run: bash test/e2e/setup.sh`);
  const main = o.vsix ? undefined : path.join(o.extension, readManifest(o.extension).main || 'package.json');
  if (main && !fs.existsSync(main)) throw new HarnessError(EXIT.SETUP, `the extension is not built: ${main} is missing (run: npm run build)`);
  const { chromium } = require(path.join(TOOLS, 'playwright-core'));

  const run = makeRunDir();
  const env0 = sandbox(run);
  const userData = path.join(run, 'ud'), extDir = path.join(run, 'ext'), ws = path.join(run, 'ws'), csLogFile = path.join(run, 'code-server.log');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extDir);
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(), null, 2));
  fs.cpSync(o.workspace, ws, { recursive: true });
  const config = path.join(run, 'config.yaml');
  fs.writeFileSync(config, 'auth: none\ncert: false\n');
  const common = ['--user-data-dir', userData, '--extensions-dir', extDir, '--config', config];
  const env = { ...process.env, ...env0 };
  delete env.XDG_RUNTIME_DIR; // VS Code would put its ipc sockets there: keep them in the run folder too
  delete env.VSCODE_IPC_HOOK_CLI; delete env.VSCODE_CWD; delete env.ELECTRON_RUN_AS_NODE;
  log('run folder', run);

  let mode = 'development', expectedPath = o.extension, extensionId;
  if (o.vsix) {
    mode = 'vsix';
    log('installing', o.vsix);
    const r = spawnSync(NODE24, [CODE_SERVER, ...common, '--install-extension', o.vsix], { env, encoding: 'utf8', timeout: 120000 });
    const out = `${r.stdout || ''}${r.stderr || ''}`.trim();
    if (out) console.log(out.split('\n').map((l) => '    | ' + l).join('\n'));
    const installed = fs.readdirSync(extDir).filter((d) => !d.startsWith('.') && fs.existsSync(path.join(extDir, d, 'package.json')));
    if (r.status !== 0 || installed.length !== 1) {
      throw new HarnessError(EXIT.NO_EDITOR, `code-server --install-extension ${path.basename(o.vsix)} failed (exit ${r.status}${r.error ? ', ' + r.error.message : ''}; installed: ${installed.join(', ') || 'nothing'})`);
    }
    expectedPath = path.join(extDir, installed[0]);
    const m = readManifest(expectedPath);
    extensionId = `${m.publisher}.${m.name}`;
    log(`installed ${extensionId} ${m.version} into ${expectedPath}`);
  } else {
    const m = readManifest(o.extension);
    extensionId = `${m.publisher}.${m.name}`;
  }
  // read by the suite (the extension host inherits code-server's environment)
  Object.assign(env, {
    E2E_EXTENSION_MODE: mode, E2E_EXTENSION_PATH: expectedPath, E2E_EXTENSION_ID: extensionId, E2E_GREP: o.grep || '',
  });

  const port = await freePort();
  const csArgs = [CODE_SERVER, ...common, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`, '--disable-telemetry',
    '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override', '--disable-proxy',
    // without this the workbench ignores the test payload and the suite never starts, silently
    '--vscode-option', 'enable-smoke-test-driver', '--log', process.env.CS_LOG || 'info'];
  log(`starting code-server ${readManifest(path.join(TOOLS, 'code-server')).version} on 127.0.0.1:${port}`);
  const cs = spawn(NODE24, csArgs, { stdio: ['ignore', 'pipe', 'pipe'], env, cwd: run, detached: false });
  const csLog = fs.createWriteStream(csLogFile);
  cs.stdout.pipe(csLog); cs.stderr.pipe(csLog);
  if (process.env.CS_ECHO) { cs.stdout.pipe(process.stdout); cs.stderr.pipe(process.stderr); }
  let csExit;
  const csExited = new Promise((r) => cs.on('exit', (code, sig) => { csExit = sig || code; r(); }));

  let browser, page, result = { code: EXIT.FAIL };
  const lines = [];
  let printed = 0; // lines of the suite (and other non-routine messages) shown
  try {
    try {
      await waitHttp(`http://127.0.0.1:${port}/healthz`, 60000, () => csExit !== undefined);
    } catch (e) {
      throw new HarnessError(EXIT.NO_EDITOR, `the editor could not be started: code-server did not come up (${e.message}; exit ${csExit ?? 'none'})\n  code-server log (${csLogFile}):\n${tail(csLogFile)}`);
    }
    log('code-server is up');
    try {
      browser = await chromium.launch({
        executablePath: chromiumBin, headless: true, env, timeout: 60000,
        args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-quic', '--no-first-run',
          '--disable-background-networking', '--disable-component-update', '--disable-sync', '--password-store=basic'],
      });
    } catch (e) {
      throw new HarnessError(EXIT.NO_EDITOR, `the editor could not be started: chromium (${chromiumBin}) did not launch: ${e.message.split('\n')[0]}`);
    }
    page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    let done, exited = false;
    const finished = new Promise((r) => (done = r));
    const NOISE = /open-vsx\.org|Resolving connection token|Resolved connection token|Creating a socket|reconnection-grace-time|builtin extensions cache|Service Worker|AgentHost|AccountPolicyGate|waiting for authentication provider|Creation of workbench contribution|\[Extension Host\] \(node:\d+\) \[DEP|ExperimentalWarning|Use `node --trace-/;
    await page.exposeFunction('codeAutomationLog', (type, args) => {
      const msg = util.format(...(args || []));
      if (exited && !o.verbose) return; // the workbench's "Canceled" noise while it stops the extension host
      for (const l of msg.split('\n')) lines.push(l.trim());
      if (o.verbose || !NOISE.test(msg)) { printed++; (type === 'error' ? console.error : console.log)(msg); }
    });
    await page.exposeFunction('codeAutomationExit', (code) => { exited = true; done(code); });
    page.on('console', (m) => { if (process.env.BROWSER_CONSOLE) console.log('[browser]', m.text()); });
    page.on('pageerror', (e) => console.log('[workbench page error]', e.message));

    const auth = `127.0.0.1:${port}`;
    const remote = (p) => `vscode-remote://${auth}${p}`;
    // The workbench starts extension tests only in an extension development host: with a .vsix, the development
    // path is an empty placeholder extension, and the installed extension is the one under test.
    const devPath = mode === 'development' ? o.extension : placeholderExtension(run);
    const payload = [['extensionDevelopmentPath', remote(devPath)], ['extensionTestsPath', remote(o.suite)],
      ['skipWelcome', 'true'], ['skipReleaseNotes', 'true']];
    const url = `http://${auth}/?folder=${encodeURIComponent(ws)}&payload=${encodeURIComponent(JSON.stringify(payload))}`;
    log(`opening the workbench (${mode === 'vsix' ? 'installed ' + extensionId : 'extensionDevelopmentPath ' + o.extension})`);
    try {
      await page.goto(url, { timeout: 60000 });
      await page.locator('.monaco-workbench').first().waitFor({ timeout: 60000 });
    } catch (e) {
      throw new HarnessError(EXIT.NO_EDITOR, `the editor could not be started: the workbench did not load in chromium (${e.message.split('\n')[0]})\n  code-server log (${csLogFile}):\n${tail(csLogFile)}`);
    }
    log(`workbench loaded; running ${path.relative(ROOT, o.suite)} (deadline ${o.timeout} s)`);
    let timer;
    const res = await Promise.race([
      finished,
      new Promise((r) => (timer = setTimeout(() => r('timeout'), o.timeout * 1000))),
      csExited.then(() => 'cs-exit'),
    ]);
    clearTimeout(timer);
    if (res === 'timeout') {
      result = { code: EXIT.TIMEOUT, why: `the suite did not finish within ${o.timeout} s` +
        (printed ? '' : ' (and printed nothing: did the extension host start the tests at all?)') };
    } else if (res === 'cs-exit') {
      result = { code: EXIT.NO_EDITOR, why: `code-server exited (${csExit}) while the suite was running\n${tail(csLogFile)}` };
    } else {
      const summaries = lines.map((l) => SUMMARY.exec(l)).filter(Boolean);
      const s = summaries[summaries.length - 1];
      if (res !== 0) result = { code: EXIT.FAIL, why: `the extension host reported exit code ${res}` };
      else if (!s) result = { code: EXIT.FAIL, why: 'the extension host exited 0 but the suite printed no "vscode-integration:" summary' };
      else if (+s[2] > 0 || +s[1] === 0) result = { code: EXIT.FAIL, why: `suite summary: ${s[0]}` };
      else result = { code: EXIT.PASS, why: s[0] };
    }
  } catch (e) {
    result = e instanceof HarnessError ? { code: e.exitCode, why: e.message } : { code: EXIT.NO_EDITOR, why: `harness error: ${e.stack || e}` };
  } finally {
    const shot = o.screenshot || (result.code !== EXIT.PASS ? path.join(run, 'workbench.png') : undefined);
    if (page && shot) { try { await page.screenshot({ path: shot, timeout: 10000 }); log('screenshot', shot); } catch (e) { log('screenshot failed:', e.message.split('\n')[0]); } }
    try { if (browser) await browser.close(); } catch { /* already gone */ }
    if (csExit === undefined) {
      cs.kill('SIGTERM');
      const t = setTimeout(() => cs.kill('SIGKILL'), 5000);
      await csExited;
      clearTimeout(t);
    }
    csLog.end();
  }
  if (result.code === EXIT.PASS && !o.keep) fs.rmSync(run, { recursive: true, force: true });
  else log(`run folder kept: ${run} (code-server.log; ud/logs/*/exthost1/ holds the extension host's logs and the extension's output channel${fs.existsSync(path.join(run, 'workbench.png')) ? '; workbench.png' : ''})`);
  return result;
}

// ---------------------------------------------------------------------------------------------------------------
// desktop VS Code + @vscode/test-electron (where a VS Code executable is available; not exercised on this machine)
// ---------------------------------------------------------------------------------------------------------------
async function runInElectron(o) {
  const exe = process.env.VSCODE_EXECUTABLE;
  if (!exe || !fs.existsSync(exe)) throw new HarnessError(EXIT.SETUP, `VSCODE_EXECUTABLE must name a desktop VS Code executable (got ${exe || 'nothing'})`);
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
  const userData = path.join(run, 'ud'), extDir = path.join(run, 'ext'), ws = path.join(run, 'ws');
  fs.mkdirSync(path.join(userData, 'User'), { recursive: true });
  fs.mkdirSync(extDir);
  fs.writeFileSync(path.join(userData, 'User', 'settings.json'), JSON.stringify(userSettings(), null, 2));
  fs.cpSync(o.workspace, ws, { recursive: true });
  let extensionDevelopmentPath = o.extension, mode = 'development', expectedPath = o.extension;
  const m0 = readManifest(o.extension);
  let extensionId = `${m0.publisher}.${m0.name}`;
  // runTests adds --no-sandbox --disable-gpu-sandbox --disable-updates --skip-welcome --skip-release-notes
  // --disable-workspace-trust; the first launch argument is the folder to open
  const launchArgs = [ws, '--user-data-dir', userData, '--extensions-dir', extDir, '--disable-gpu', '--disable-telemetry'];
  if (o.vsix) {
    mode = 'vsix';
    const [cli, ...cliArgs] = testElectron.resolveCliArgsFromVSCodeExecutablePath(exe);
    const r = spawnSync(cli, [...cliArgs, '--extensions-dir', extDir, '--user-data-dir', userData, '--install-extension', o.vsix], { encoding: 'utf8', stdio: 'inherit', shell: process.platform === 'win32' });
    const installed = fs.readdirSync(extDir).filter((d) => fs.existsSync(path.join(extDir, d, 'package.json')));
    if (r.status !== 0 || installed.length !== 1) throw new HarnessError(EXIT.NO_EDITOR, `installing ${o.vsix} failed (exit ${r.status})`);
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
  process.stdout.write = (chunk, ...rest) => { for (const l of String(chunk).split('\n')) lines.push(l.trim()); return write(chunk, ...rest); };
  let timer, result;
  try {
    const res = await Promise.race([
      testElectron.runTests({
        vscodeExecutablePath: exe, extensionDevelopmentPath, extensionTestsPath: o.suite, launchArgs,
        extensionTestsEnv: { E2E_EXTENSION_MODE: mode, E2E_EXTENSION_PATH: expectedPath, E2E_EXTENSION_ID: extensionId, E2E_GREP: o.grep || '' },
      }).then(() => 'ok', (e) => e),
      new Promise((r) => (timer = setTimeout(() => r('timeout'), o.timeout * 1000))),
    ]);
    clearTimeout(timer);
    const s = lines.map((l) => SUMMARY.exec(l)).filter(Boolean).pop();
    if (res === 'timeout') {
      // end the VS Code we started: our descendant processes, by pid
      for (const pid of descendants(process.pid)) { try { process.kill(pid, 'SIGTERM'); } catch { /* gone */ } }
      result = { code: EXIT.TIMEOUT, why: `the suite did not finish within ${o.timeout} s` };
    } else if (res !== 'ok') result = { code: EXIT.FAIL, why: `@vscode/test-electron: ${res && res.message}${s ? ` (${s[0]})` : ''}` };
    else if (!s) result = { code: EXIT.FAIL, why: 'VS Code exited 0 but the suite printed no "vscode-integration:" summary' };
    else if (+s[2] > 0 || +s[1] === 0) result = { code: EXIT.FAIL, why: `suite summary: ${s[0]}` };
    else result = { code: EXIT.PASS, why: s[0] };
  } finally {
    process.stdout.write = write;
  }
  if (result.code === EXIT.PASS && !o.keep) fs.rmSync(run, { recursive: true, force: true });
  else log(`run folder kept: ${run}`);
  return result;
}

(async () => {
  let result;
  try {
    const o = parseArgs(process.argv.slice(2));
    result = (o.electron || process.env.VSCODE_EXECUTABLE) ? await runInElectron(o) : await runInCodeServer(o);
  } catch (e) {
    result = e instanceof HarnessError ? { code: e.exitCode, why: e.message } : { code: EXIT.NO_EDITOR, why: `harness error: ${e.stack || e}` };
  }
  const label = { 0: 'PASSED', 1: 'FAILED', 2: 'NOT SET UP', 3: 'TIMED OUT', 4: 'EDITOR DID NOT START' }[result.code] || 'FAILED';
  log(`${label}: ${result.why} (exit ${result.code})`);
  process.exit(result.code);
})();
