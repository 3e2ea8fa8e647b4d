// The pieces every user of the harness shares (the suite runner, the browser UI check, scripts/open-in-browser.js):
// where the tools are, a sandboxed run folder, code-server on 127.0.0.1, a headless chromium.
'use strict';
const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const net = require('net');
const http = require('http');

const E2E = __dirname;
const ROOT = path.resolve(E2E, '..', '..');
const CACHE = process.env.VSCODE_HARNESS_CACHE
  ? path.resolve(process.env.VSCODE_HARNESS_CACHE)
  : path.join(ROOT, '.cache', 'vscode-harness');
const NODE24 = path.join(CACHE, 'node24', 'bin', 'node');
const TOOLS = path.join(CACHE, 'tools', 'node_modules');
const CODE_SERVER = path.join(TOOLS, 'code-server', 'out', 'node', 'entry.js');

const EXIT = { PASS: 0, FAIL: 1, SETUP: 2, TIMEOUT: 3, NO_EDITOR: 4 };
class HarnessError extends Error {
  constructor(code, message) {
    super(message);
    this.exitCode = code;
  }
}

function findChromium() {
  if (process.env.CHROMIUM_BIN) return process.env.CHROMIUM_BIN;
  return ['/usr/lib/chromium/chromium', '/usr/lib/chromium-browser/chromium-browser'].find((c) => fs.existsSync(c));
}

/** The tools, or a HarnessError (exit 2) naming what is missing. */
function requireTools({ browser = true } = {}) {
  const missing = [];
  if (!fs.existsSync(NODE24)) missing.push(`Node 24 (${NODE24})`);
  if (!fs.existsSync(CODE_SERVER)) missing.push(`code-server (${CODE_SERVER})`);
  const chromiumBin = browser ? findChromium() : undefined;
  if (browser && !fs.existsSync(path.join(TOOLS, 'playwright-core'))) missing.push('playwright-core');
  if (browser && !chromiumBin) missing.push('chromium (apt-get install chromium, or set CHROMIUM_BIN)');
  if (missing.length)
    throw new HarnessError(
      EXIT.SETUP,
      `the harness is not set up, missing: ${missing.join(', ')}\n  run: bash test/e2e/setup.sh`,
    );
  return { chromiumBin };
}

/** A fresh run folder. VS Code, code-server and chromium put unix sockets in it (limit: 107 characters), so it must be
 *  short: os.tmpdir() unless that is long, then /tmp. E2E_RUNS_DIR overrides. */
function makeRunDir(log = console.log) {
  let base = process.env.E2E_RUNS_DIR || os.tmpdir();
  if (!process.env.E2E_RUNS_DIR && base.length > 20) base = '/tmp';
  fs.mkdirSync(base, { recursive: true });
  const dir = fs.mkdtempSync(path.join(base, 'mdv-'));
  if (dir.length > 40) log(`warning: run folder ${dir} is long; unix socket paths under it may exceed 107 characters`);
  return dir;
}

/** Settings of a quiet, offline workbench (no welcome page, tips, telemetry or update checks). */
function userSettings() {
  return {
    'workbench.startupEditor': 'none',
    'workbench.tips.enabled': false,
    'workbench.enableExperiments': false,
    'telemetry.telemetryLevel': 'off',
    'update.mode': 'none',
    'extensions.autoUpdate': false,
    'extensions.autoCheckUpdates': false,
    'extensions.ignoreRecommendations': true,
    'security.workspace.trust.enabled': false,
    'chat.disableAIFeatures': true,
    'git.enabled': false,
    'files.autoSave': 'off',
    'window.restoreWindows': 'none',
    'workbench.secondarySideBar.defaultVisibility': 'hidden', // an empty chat pane otherwise
  };
}

/** The same workbench with workspace trust on and never prompted for: a folder not trusted opens in Restricted Mode. */
function untrustedSettings() {
  return {
    ...userSettings(),
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.banner': 'never',
    'security.workspace.trust.emptyWindow': false,
  };
}

/**
 * A code-server profile inside the run folder: user data (with `settings`), an empty extensions folder, a config
 * without password, and an environment that keeps every file VS Code / code-server / chromium writes inside `run`.
 */
function profile(run, settings = userSettings()) {
  const p = {
    run,
    userData: path.join(run, 'ud'),
    extDir: path.join(run, 'ext'),
    config: path.join(run, 'config.yaml'),
    logFile: path.join(run, 'code-server.log'),
  };
  fs.mkdirSync(path.join(p.userData, 'User'), { recursive: true });
  fs.mkdirSync(p.extDir, { recursive: true });
  fs.writeFileSync(path.join(p.userData, 'User', 'settings.json'), JSON.stringify(settings, null, 2));
  fs.writeFileSync(p.config, 'auth: none\ncert: false\n');
  const xdg = {
    XDG_CONFIG_HOME: path.join(run, 'xc'),
    XDG_DATA_HOME: path.join(run, 'xd'),
    XDG_CACHE_HOME: path.join(run, 'xk'),
    TMPDIR: path.join(run, 't'),
  };
  for (const d of Object.values(xdg)) fs.mkdirSync(d, { recursive: true });
  p.env = { ...process.env, ...xdg };
  delete p.env.XDG_RUNTIME_DIR; // VS Code would put its ipc sockets there: keep them in the run folder too
  delete p.env.VSCODE_IPC_HOOK_CLI;
  delete p.env.VSCODE_CWD;
  delete p.env.ELECTRON_RUN_AS_NODE;
  p.common = ['--user-data-dir', p.userData, '--extensions-dir', p.extDir, '--config', p.config];
  return p;
}

function readManifest(dir) {
  return JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
}

/** `code-server --install-extension FILE` into the profile's (empty) extensions folder, offline. */
function installVsix(p, vsix) {
  const r = spawnSync(NODE24, [CODE_SERVER, ...p.common, '--install-extension', vsix], {
    env: p.env,
    encoding: 'utf8',
    timeout: 120000,
  });
  const output = `${r.stdout || ''}${r.stderr || ''}`.trim();
  const installed = fs
    .readdirSync(p.extDir)
    .filter((d) => !d.startsWith('.') && fs.existsSync(path.join(p.extDir, d, 'package.json')));
  if (r.status !== 0 || installed.length !== 1) {
    throw new HarnessError(
      EXIT.NO_EDITOR,
      `code-server --install-extension ${path.basename(vsix)} failed (exit ${r.status}${r.error ? ', ' + r.error.message : ''}; installed: ${installed.join(', ') || 'nothing'})\n${output}`,
    );
  }
  const dir = path.join(p.extDir, installed[0]);
  const m = readManifest(dir);
  return { dir, id: `${m.publisher}.${m.name}`, version: m.version, output };
}

function freePort() {
  return new Promise((res, rej) => {
    const s = net.createServer();
    s.on('error', rej);
    s.listen(0, '127.0.0.1', () => {
      const port = s.address().port;
      s.close(() => res(port));
    });
  });
}

function waitHttp(url, ms, isDead) {
  const end = Date.now() + ms;
  return new Promise((res, rej) => {
    const once = () => {
      if (isDead()) return rej(new Error('code-server exited during startup'));
      http
        .get(url, (r) => {
          r.resume();
          res(r.statusCode);
        })
        .on('error', (e) =>
          Date.now() > end ? rej(new Error(`no answer from ${url} within ${ms / 1000} s (${e.message})`)) : setTimeout(once, 250),
        );
    };
    once();
  });
}

function tail(file, n = 30) {
  try {
    return fs
      .readFileSync(file, 'utf8')
      .trimEnd()
      .split('\n')
      .slice(-n)
      .map((l) => '    | ' + l)
      .join('\n');
  } catch {
    return '    | (no log)';
  }
}

/** Pids of the processes a process started (children, grandchildren...), from ps (Linux/macOS). */
function descendants(root) {
  const r = spawnSync('ps', ['-A', '-o', 'pid=,ppid='], { encoding: 'utf8' });
  const kids = new Map();
  for (const [pid, ppid] of (r.stdout || '')
    .trim()
    .split('\n')
    .map((l) => l.trim().split(/\s+/).map(Number))) {
    if (!kids.has(ppid)) kids.set(ppid, []);
    kids.get(ppid).push(pid);
  }
  const out = [];
  const walk = (p) => {
    for (const c of kids.get(p) || []) {
      if (c !== r.pid) {
        out.push(c);
        walk(c);
      }
    }
  };
  walk(root);
  return out;
}

const alive = (pid) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits (checking every 100 ms, up to `ms`) until none of `pids` runs any more; then SIGKILLs what is left. */
async function reap(pids, ms) {
  const end = Date.now() + ms;
  while (pids.some(alive) && Date.now() < end) await new Promise((r) => setTimeout(r, 100));
  for (const pid of pids.filter(alive)) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      /* gone */
    }
  }
}

/**
 * Starts code-server for a profile on 127.0.0.1 and waits until it answers. Returns { port, url(folder, payload),
 * exitCode(), stop() }. `extraArgs` are appended (e.g. the smoke-test driver). Its output goes to p.logFile.
 */
async function startCodeServer(p, { port, extraArgs = [], echo = !!process.env.CS_ECHO, trust = true } = {}) {
  port = port || (await freePort());
  const args = [
    CODE_SERVER,
    ...p.common,
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    ...(trust ? ['--disable-workspace-trust'] : []),
    '--disable-getting-started-override',
    '--disable-proxy',
    '--log',
    process.env.CS_LOG || 'info',
    ...extraArgs,
  ];
  const cs = spawn(NODE24, args, { stdio: ['ignore', 'pipe', 'pipe'], env: p.env, cwd: p.run });
  const log = fs.createWriteStream(p.logFile);
  cs.stdout.pipe(log);
  cs.stderr.pipe(log);
  if (echo) {
    cs.stdout.pipe(process.stdout);
    cs.stderr.pipe(process.stderr);
  }
  let exit;
  const exited = new Promise((r) =>
    cs.on('exit', (code, sig) => {
      exit = sig || code;
      log.end();
      r(exit);
    }),
  );
  const server = {
    port,
    pid: cs.pid,
    exited,
    exitCode: () => exit,
    url: (folder, payload) =>
      `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}${payload ? `&payload=${encodeURIComponent(JSON.stringify(payload))}` : ''}`,
    remote: (p2) => `vscode-remote://127.0.0.1:${port}${p2}`,
    /** Stops code-server and waits for its extension hosts and language servers too: they leave on their own once
     *  code-server is gone, and would otherwise still write into the run folder while it is deleted. */
    async stop() {
      if (exit !== undefined) return;
      const tree = descendants(cs.pid);
      cs.kill('SIGTERM');
      const t = setTimeout(() => cs.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(t);
      await reap(tree, 5000);
    },
  };
  try {
    await waitHttp(`http://127.0.0.1:${port}/healthz`, 60000, () => exit !== undefined);
  } catch (e) {
    await server.stop();
    throw new HarnessError(
      EXIT.NO_EDITOR,
      `the editor could not be started: code-server did not come up (${e.message}; exit ${exit ?? 'none'})\n  code-server log (${p.logFile}):\n${tail(p.logFile)}`,
    );
  }
  return server;
}

/** Headless chromium through playwright-core (from the harness's tools). */
async function launchChromium(p, chromiumBin) {
  const { chromium } = require(path.join(TOOLS, 'playwright-core'));
  try {
    return await chromium.launch({
      executablePath: chromiumBin,
      headless: true,
      env: p.env,
      timeout: 60000,
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-dev-shm-usage',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--password-store=basic',
      ],
    });
  } catch (e) {
    throw new HarnessError(
      EXIT.NO_EDITOR,
      `the editor could not be started: chromium (${chromiumBin}) did not launch: ${e.message.split('\n')[0]}`,
    );
  }
}

/** Opens the workbench at `url` and waits until it is there. */
async function openWorkbench(page, url, logFile) {
  try {
    await page.goto(url, { timeout: 60000 });
    await page.locator('.monaco-workbench').first().waitFor({ timeout: 60000 });
  } catch (e) {
    throw new HarnessError(
      EXIT.NO_EDITOR,
      `the editor could not be started: the workbench did not load in chromium (${e.message.split('\n')[0]})${logFile ? `\n  code-server log (${logFile}):\n${tail(logFile)}` : ''}`,
    );
  }
}

module.exports = {
  E2E,
  ROOT,
  CACHE,
  NODE24,
  TOOLS,
  CODE_SERVER,
  EXIT,
  HarnessError,
  findChromium,
  requireTools,
  makeRunDir,
  userSettings,
  untrustedSettings,
  profile,
  readManifest,
  installVsix,
  freePort,
  waitHttp,
  tail,
  startCodeServer,
  launchChromium,
  openWorkbench,
  descendants,
};
