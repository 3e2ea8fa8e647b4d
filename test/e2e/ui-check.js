#!/usr/bin/env node
// What a person sees: drives the browser VS Code of the harness (code-server + headless chromium) with the keyboard
// and the mouse, over a copy of examples/, asserts that our diagnostics, quick fixes, commands, destination diff,
// status bar item and readiness report are on screen, and saves a screenshot of each (the README shows them).
//
// Usage: node test/e2e/ui-check.js [--vsix FILE] [--out DIR] [--keep]
//   --vsix FILE   install this package (default: load the repository as the extension under development)
//   --out DIR     save the PNGs there (scripts/screenshots.sh: images/screenshots); without it they go to the run
//                 folder, which is kept only with --keep or on failure
//   --keep        keep the run folder (code-server.log, user data, screenshots) even on success
// The last line is `ui-check: N passed, N failed`. Exit codes as run-tests.js: 0, 1 a check failed, 2 not set up,
// 4 the editor could not be started.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');
const H = require('./harness');

const { ROOT, EXIT, HarnessError } = H;
const t0 = Date.now();
const log = (...a) => console.log(`[ui +${((Date.now() - t0) / 1000).toFixed(1)}s]`, ...a);
const DEADLINE = +(process.env.E2E_DEADLINE_MS || 20000);
const VIEWPORT = { width: 1280, height: 800 };

function parseArgs(argv) {
  const o = { vsix: undefined, out: undefined, keep: !!process.env.E2E_KEEP };
  for (let i = 0; i < argv.length; i++) {
    const val = () => {
      if (i + 1 >= argv.length) throw new HarnessError(EXIT.SETUP, `${argv[i]} needs a value`);
      return argv[++i];
    };
    switch (argv[i]) {
      case '--vsix':
        o.vsix = path.resolve(val());
        break;
      case '--out':
        o.out = path.resolve(val());
        break;
      case '--keep':
        o.keep = true;
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
        throw new HarnessError(EXIT.SETUP, `unknown argument ${argv[i]} (see --help)`);
    }
  }
  if (o.vsix && !fs.existsSync(o.vsix)) throw new HarnessError(EXIT.SETUP, `vsix not found: ${o.vsix}`);
  if (!o.vsix && !fs.existsSync(path.join(ROOT, 'client', 'out', 'extension.js')))
    throw new HarnessError(EXIT.SETUP, 'the extension is not built (npm run build)');
  return o;
}

/** Errors and warnings of a file according to the CLI (an independent front end over the same rules). */
function cliFindings(file) {
  const r = spawnSync(process.execPath, [path.join(ROOT, 'server', 'out', 'cli.js'), 'check', '--format', 'json', file], {
    encoding: 'utf8',
  });
  const [result] = JSON.parse(r.stdout);
  return result.diagnostics.filter((d) => d.severity === 'error' || d.severity === 'warning');
}

/** The commands we contribute, with their palette labels ("Migratable: Make Domain Migratable"). */
function paletteLabels() {
  const m = H.readManifest(ROOT);
  return m.contributes.commands.map((c) => `${c.category}: ${c.title}`);
}

async function main(o) {
  const { chromiumBin } = H.requireTools();
  const run = H.makeRunDir(log);
  const settings = {
    ...H.userSettings(),
    'workbench.colorTheme': 'Default Light Modern',
    'editor.minimap.enabled': false,
    'window.commandCenter': false,
    'workbench.layoutControl.enabled': false,
    'editor.lightbulb.enabled': 'on',
    'diffEditor.hideUnchangedRegions.enabled': true,
    'diffEditor.useInlineViewWhenSpaceIsLimited': false,
    'diffEditor.wordWrap': 'on',
  };
  const p = H.profile(run, settings);
  const ws = path.join(run, 'examples');
  fs.cpSync(path.join(ROOT, 'examples'), ws, { recursive: true });
  let payload;
  if (o.vsix) {
    const installed = H.installVsix(p, o.vsix);
    log(`installed ${installed.id} ${installed.version} from ${path.relative(ROOT, o.vsix)}`);
  }
  // the workbench honours a payload's extensionDevelopmentPath only with the smoke-test driver enabled
  const server = await H.startCodeServer(p, { extraArgs: o.vsix ? [] : ['--vscode-option', 'enable-smoke-test-driver'] });
  if (!o.vsix)
    payload = [
      ['extensionDevelopmentPath', server.remote(ROOT)],
      ['skipWelcome', 'true'],
      ['skipReleaseNotes', 'true'],
    ];
  log(`code-server on 127.0.0.1:${server.port} (${o.vsix ? 'installed .vsix' : 'extension under development'}); folder ${ws}`);
  o.out = o.out || path.join(run, 'screenshots');
  fs.mkdirSync(o.out, { recursive: true });
  let browser,
    passed = 0,
    failed = 0;
  try {
    browser = await H.launchChromium(p, chromiumBin);
    const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    await H.openWorkbench(page, server.url(ws, payload), p.logFile);
    log('workbench loaded');
    const ui = new Ui(page);
    for (const [name, fn] of checks(ui, o)) {
      try {
        await fn();
        passed++;
        console.log(`  ✔ ${name}`);
      } catch (e) {
        failed++;
        const shot = path.join(run, `failed-${passed + failed}.png`);
        await page.screenshot({ path: shot }).catch(() => {});
        console.log(`  ✘ ${name}\n      ${e.message.split('\n').slice(0, 6).join('\n      ')}\n      screenshot: ${shot}`);
        await ui.escape();
      }
    }
  } finally {
    try {
      if (browser) await browser.close();
    } catch {
      /* gone */
    }
    await server.stop();
  }
  if (!failed && !o.keep) fs.rmSync(run, { recursive: true, force: true, maxRetries: 10 });
  else log(`run folder kept: ${run}`);
  console.log(`ui-check: ${passed} passed, ${failed} failed`);
  return failed || !passed ? EXIT.FAIL : EXIT.PASS;
}

/** Keyboard and mouse on the workbench; every wait has a deadline. */
class Ui {
  constructor(page) {
    this.page = page;
  }

  async escape() {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
  }

  /** Opens a file of the folder from the Explorer, and waits for its editor. */
  async openFile(name) {
    await this.command('View: Show Explorer');
    await this.page.getByRole('treeitem', { name }).first().click({ timeout: DEADLINE });
    await this.page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 3); // no Explorer tooltip in later pictures
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).waitFor({ timeout: DEADLINE });
    await this.page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor({ timeout: DEADLINE });
  }

  /** Runs a command by its palette label; waits until the palette has closed, or until it shows the row `next`
   *  (a command that asks something with a quick pick). */
  async command(label, next) {
    await this.palette(label, label);
    await this.page
      .locator('.quick-input-list .monaco-list-row.focused', { hasText: label })
      .first()
      .waitFor({ timeout: DEADLINE });
    await this.page.keyboard.press('Enter');
    if (next)
      await this.page.locator('.quick-input-list .monaco-list-row', { hasText: next }).first().waitFor({ timeout: DEADLINE });
    else await this.page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: DEADLINE });
  }

  /** Puts the cursor at line:column (1-based) with Go to Line (Ctrl+G). */
  async goTo(line, column) {
    await this.page.keyboard.press('Control+G');
    await this.page.locator('.quick-input-widget input').first().waitFor({ timeout: DEADLINE });
    await this.page.keyboard.type(`${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: DEADLINE });
  }

  /** Opens the command palette filtered by `text`; returns the labels of the rows shown. */
  async palette(text, expectRow) {
    await this.page.keyboard.press('F1');
    await this.page.locator('.quick-input-widget input').first().waitFor({ timeout: DEADLINE });
    await this.page.keyboard.type(text);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: expectRow }).first().waitFor({ timeout: DEADLINE });
    return this.page.locator('.quick-input-list .monaco-list-row .label-name').allInnerTexts();
  }

  statusItem(text) {
    return this.page.locator('.statusbar-item', { hasText: text }).first();
  }

  async shot(out, name, clip) {
    const file = path.join(out, name);
    await this.page.screenshot({ path: file, clip });
    log(`screenshot ${path.relative(ROOT, file)}`);
  }
}

function checks(ui, o) {
  const page = ui.page;
  const broken = cliFindings(path.join(ROOT, 'examples', 'broken.xml'));
  // blockers as the language service counts them (isBlocker): errors, and the warnings that block migration
  const blockers = broken.filter(
    (d) => d.severity === 'error' || d.code.startsWith('migration-') || d.code === 'teaming-not-pcie',
  );
  const expectedBlockers = `${blockers.length} blocker${blockers.length === 1 ? '' : 's'}`;
  return [
    [
      `broken.xml: the status bar says "${expectedBlockers}" without being asked`,
      async () => {
        await ui.openFile('broken.xml');
        await ui.statusItem(expectedBlockers).waitFor({ timeout: DEADLINE });
      },
    ],

    [
      'Problems panel: a row for each error and warning of broken.xml, with its code',
      async () => {
        await page.keyboard.press('Control+Shift+M');
        const panel = page.locator('.markers-panel');
        await panel.locator('.monaco-list-row', { hasText: 'teaming-mac-mismatch' }).first().waitFor({ timeout: DEADLINE });
        for (const d of broken) {
          await panel.locator('.monaco-list-row', { hasText: d.code }).first().waitFor({ timeout: DEADLINE });
        }
        await ui.goTo(20, 22); // the VF's <mac> value: its squiggle is in view, and the panel stays open
        await ui.shot(o.out, 'problems.png');
      },
    ],

    [
      "lightbulb menu (Ctrl+.) on the VF's MAC: our quick fixes",
      async () => {
        await ui.goTo(20, 22);
        await page.keyboard.press('Control+.');
        const menu = page.locator('.action-widget');
        await menu
          .locator('.monaco-list-row', { hasText: "Use the standby's MAC 52:54:00:6d:90:02 on the VF" })
          .first()
          .waitFor({ timeout: DEADLINE });
        await menu
          .locator('.monaco-list-row', { hasText: "Use the VF's MAC 52:54:00:6d:90:03 on the standby" })
          .first()
          .waitFor({ timeout: DEADLINE });
        await ui.shot(o.out, 'quick-fix.png', { x: 0, y: 0, width: VIEWPORT.width, height: 560 });
        await ui.escape();
      },
    ],

    [
      'command palette: every command of ours under the "Migratable" category',
      async () => {
        const rows = await ui.palette('Migratable', 'Migratable: Make Domain Migratable');
        const missing = paletteLabels().filter((l) => !rows.some((r) => r.includes(l)));
        if (missing.length) throw new Error(`the palette does not list: ${missing.join(', ')}\n(rows: ${rows.join(' | ')})`);
        await ui.shot(o.out, 'command-palette.png', { x: 0, y: 0, width: VIEWPORT.width, height: 480 });
        await ui.escape();
      },
    ],

    [
      'status bar on a clean domain: "Migratable" with a check; its tooltip offers the report',
      async () => {
        await ui.command('View: Hide Panel');
        await ui.openFile('teaming.xml');
        const item = ui.statusItem('Migratable');
        await item.waitFor({ timeout: DEADLINE });
        await item.locator('.codicon-check').waitFor({ timeout: DEADLINE });
        await item.hover();
        await page
          .locator('.monaco-hover, .workbench-hover', { hasText: 'no migration blockers' })
          .first()
          .waitFor({ timeout: DEADLINE });
        const box = await item.boundingBox();
        await ui.shot(o.out, 'status-bar.png', {
          x: 0,
          y: VIEWPORT.height - 160,
          width: Math.min(VIEWPORT.width, Math.round(box.x + 560)),
          height: 160,
        });
        await page.mouse.move(VIEWPORT.width / 2, 200);
      },
    ],

    [
      'Preview Destination XML (palette, profile picked): a diff editor with the rewritten VF address and network',
      async () => {
        await ui.command('View: Close Primary Side Bar'); // room for both sides
        await ui.command('Migratable: Preview Destination XML', 'host-b.migration.json');
        await page
          .locator('.quick-input-list .monaco-list-row', { hasText: 'Create a profile' })
          .first()
          .waitFor({ timeout: DEADLINE });
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'host-b.migration.json' }).first().click();
        const diff = page.locator('.monaco-diff-editor').first();
        await diff.waitFor({ timeout: DEADLINE });
        await page.locator('.tabs-container .tab.active', { hasText: 'destination host-b' }).waitFor({ timeout: DEADLINE });
        await diff
          .locator('.editor.modified .view-lines', { hasText: "bus='0x5e' slot='0x10' function='0x2'" })
          .waitFor({ timeout: DEADLINE });
        await diff.locator('.editor.modified .view-lines', { hasText: "network='prod-net'" }).waitFor({ timeout: DEADLINE });
        await diff
          .locator('.editor.original .view-lines', { hasText: "bus='0x3b' slot='0x02' function='0x0'" })
          .waitFor({ timeout: DEADLINE });
        await ui.shot(o.out, 'destination-diff.png');
      },
    ],

    [
      'readiness report: clicking the status bar item of broken.xml opens it beside the editor',
      async () => {
        await ui.openFile('broken.xml');
        await ui.command('View: Close Primary Side Bar'); // room for the report
        const item = ui.statusItem(expectedBlockers);
        await item.waitFor({ timeout: DEADLINE });
        await item.click();
        await page.mouse.move(VIEWPORT.width / 2, 200); // no status bar tooltip in the picture
        const report = page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
        await report.locator('h1', { hasText: 'Migration readiness: broken1' }).waitFor({ timeout: DEADLINE });
        await report.locator('text=ua-backup0').first().waitFor({ timeout: DEADLINE });
        for (const d of broken) await report.locator('code', { hasText: d.code }).first().waitFor({ timeout: DEADLINE });
        await page.getByText(/^Errors: \d+, Warnings: \d+/).waitFor({ state: 'hidden', timeout: DEADLINE }); // the Problems item's tooltip
        await ui.shot(o.out, 'readiness-report.png');
      },
    ],
  ];
}

main(parseArgs(process.argv.slice(2))).then(
  (code) => process.exit(code),
  (e) => {
    const code = e instanceof HarnessError ? e.exitCode : EXIT.NO_EDITOR;
    console.error(`ui-check: ${e instanceof HarnessError ? e.message : e.stack}`);
    console.log('ui-check: 0 passed, 1 failed');
    process.exit(code);
  },
);
