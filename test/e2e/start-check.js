#!/usr/bin/env node
// `npm start` opens a temporary COPY of examples/, never the repository's own folder (issue #10 item 11): runs
// scripts/start.mjs as `npm start` does where no desktop VS Code is installed (MIGRATABLE_NO_DESKTOP=1: the browser
// VS Code of the harness), reads the folder it opened from its output, edits and saves a file there in headless
// chromium, checks that the copy changed and the repository's example did not, then stops it as Ctrl-C in a terminal
// does (SIGINT to its process group) and checks that the copy is gone.
//
// Usage: node test/e2e/start-check.js   (after npm run build; start.mjs packages the .vsix itself)
// The last line is `start-check: passed` or `start-check: failed`; exit codes as run-tests.js.
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const path = require('path');
const H = require('./harness');

const { ROOT, EXIT, HarnessError } = H;
const DEADLINE = +(process.env.E2E_DEADLINE_MS || 20000);
const t0 = Date.now();
const log = (...a) => console.log(`[start +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);

/** Resolves with the first match of `re` in the child's output, or rejects at the deadline (or when it exits). */
function waitForOutput(child, re, what, ms) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(
      () => done(reject, new Error(`timed out after ${ms / 1000} s waiting for ${what}; output:\n${seen}`)),
      ms,
    );
    const onData = (b) => {
      seen += b.toString();
      const m = re.exec(seen);
      if (m) done(resolve, m);
    };
    const onExit = (code) => done(reject, new Error(`npm start exited (${code}) before ${what}; output:\n${seen}`));
    const done = (fn, v) => {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      fn(v);
    };
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

/** Re-reads a file until `predicate(text)` holds, up to the deadline. */
async function fileUntil(file, predicate, what) {
  const end = Date.now() + DEADLINE;
  while (!predicate(fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : undefined)) {
    if (Date.now() > end) throw new Error(`timed out after ${DEADLINE} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100)); // a poll interval, not a wait for something to happen
  }
}

async function main() {
  const { chromiumBin } = H.requireTools();
  if (!fs.existsSync(path.join(ROOT, 'server', 'out', 'cli.js'))) throw new HarnessError(EXIT.SETUP, 'not built: npm run build');
  const repoExample = path.join(ROOT, 'examples', 'broken.xml');
  const original = fs.readFileSync(repoExample, 'utf8');
  const start = spawn(process.execPath, [path.join(ROOT, 'scripts', 'start.mjs')], {
    cwd: ROOT,
    env: { ...process.env, MIGRATABLE_NO_DESKTOP: '1', PORT: '' },
    stdio: ['ignore', 'pipe', 'inherit'],
    detached: true, // its own process group, as in a terminal: Ctrl-C signals the group
  });
  let output = '';
  start.stdout.on('data', (b) => (output += b.toString()));
  const signalGroup = (sig) => {
    try {
      process.kill(-start.pid, sig);
    } catch {
      /* gone */
    }
  };
  const exited = new Promise((r) => start.on('exit', (code, signal) => r(signal ?? code)));
  let browser;
  let run;
  try {
    // packaging and a cold harness take a while: a generous deadline for the URL
    const [url] = await waitForOutput(start, /http:\/\/127\.0\.0\.1:\d+\/\?folder=\S+/, 'the URL', 180000);
    const folder = new URL(url).searchParams.get('folder');
    log(`npm start opened ${folder}`);
    if (path.resolve(folder).startsWith(ROOT + path.sep)) throw new Error(`it opens ${folder}, inside the repository`);
    const said = /Opening a temporary copy of examples\/ \(([^)]+)\)/.exec(output)?.[1];
    if (!said || path.resolve(said) !== path.resolve(folder))
      throw new Error(`it does not say that it opens a temporary copy (${folder}); it said:\n${output}`);
    for (const f of fs.readdirSync(path.join(ROOT, 'examples')))
      if (fs.readFileSync(path.join(folder, f), 'utf8') !== fs.readFileSync(path.join(ROOT, 'examples', f), 'utf8'))
        throw new Error(`${f} of the copy differs from examples/${f}`);

    // a person edits and saves an example: the copy changes, the repository does not
    run = H.makeRunDir(log);
    const p = H.profile(run);
    browser = await H.launchChromium(p, chromiumBin);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await H.openWorkbench(page, url);
    await page.getByRole('treeitem', { name: 'broken.xml' }).first().click({ timeout: DEADLINE });
    await page.locator('.tabs-container .tab.active', { hasText: 'broken.xml' }).first().waitFor({ timeout: DEADLINE });
    await page.locator('.editor-instance .monaco-editor .view-lines').first().click();
    await page.keyboard.press('Control+End');
    await page.keyboard.type('<!-- edited by start-check -->');
    await page.keyboard.press('Control+S');
    await fileUntil(path.join(folder, 'broken.xml'), (t) => t?.includes('edited by start-check'), 'the save to reach the copy');
    if (fs.readFileSync(repoExample, 'utf8') !== original) throw new Error("the repository's examples/broken.xml changed");

    signalGroup('SIGINT');
    const code = await exited;
    if (fs.existsSync(folder)) throw new Error(`the copy ${folder} is still there after npm start stopped (${code})`);
    log(`stopped (${code}); the copy is gone`);
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (start.exitCode === null && start.signalCode === null) {
      signalGroup('SIGTERM');
      await exited;
    }
    signalGroup('SIGTERM'); // whatever it left running (code-server under open-in-browser.js)
    if (run) fs.rmSync(run, { recursive: true, force: true, maxRetries: 10 });
  }
}

main().then(
  () => {
    console.log('start-check: passed');
    process.exit(EXIT.PASS);
  },
  (e) => {
    console.error(`start-check: ${e instanceof HarnessError ? e.message : e.stack}`);
    console.log('start-check: failed');
    process.exit(e instanceof HarnessError ? e.exitCode : EXIT.FAIL);
  },
);
