#!/usr/bin/env node
// What a person sees: drives the browser VS Code of the harness (code-server + headless chromium) with the keyboard
// and the mouse, over a copy of examples/, asserts that our diagnostics, quick fixes, commands, destination diff,
// status bar item, readiness report and Libvirt Hosts view (two real sandboxed libvirt daemons, started here) are on
// screen, and saves a screenshot of each (the README shows them). Needs `npm run compile-tests` and root.
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
  // two real sandboxed libvirt daemons for the Libvirt Hosts view (machine settings, as a user configures them)
  const hosts = await startHosts();
  const p = H.profile(run, settings);
  // machine-scoped: in a remote window (code-server, Remote-SSH) VS Code reads them from the remote's Machine
  // settings, never from the (browser side) user settings
  o.hostsSkipped = hosts.skipped;
  fs.mkdirSync(path.join(p.userData, 'Machine'), { recursive: true });
  fs.writeFileSync(
    path.join(p.userData, 'Machine', 'settings.json'),
    JSON.stringify({ 'migratable.hosts': hosts.settings }, null, 2),
  );
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
  o.ws = ws;
  fs.mkdirSync(o.out, { recursive: true });
  let browser,
    passed = 0,
    failed = 0,
    skipped = 0;
  try {
    browser = await H.launchChromium(p, chromiumBin);
    const page = await (await browser.newContext({ viewport: VIEWPORT })).newPage();
    await H.openWorkbench(page, server.url(ws, payload), p.logFile);
    log('workbench loaded');
    const ui = new Ui(page);
    for (const [name, fn, options] of checks(ui, o)) {
      if (options?.needsHosts && o.hostsSkipped) {
        skipped++;
        console.log(`  - ${name}\n      skipped: ${o.hostsSkipped}`);
        continue;
      }
      if (options?.vsixOnly && !o.vsix) {
        skipped++;
        console.log(
          `  - ${name}\n      skipped: needs --vsix (the smoke-test driver that loads a development folder hides notification toasts)`,
        );
        continue;
      }
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
    await hosts.stop();
  }
  if (!failed && !o.keep) fs.rmSync(run, { recursive: true, force: true, maxRetries: 10 });
  else log(`run folder kept: ${run}`);
  if (skipped) console.log(`(${skipped} skipped)`);
  console.log(`ui-check: ${passed} passed, ${failed} failed`);
  return failed || !passed ? EXIT.FAIL : EXIT.PASS;
}

/**
 * host-a and host-b: sandboxed libvirt 9.0 daemons (the project's test beds, out/test/helpers/hosts.js), host-a with
 * a running failover guest (web1) and a domain whose VF has no teaming (web-vf), both with the network 'lan'.
 */
async function startHosts() {
  if (process.env.MIGRATABLE_SKIP_LIBVIRT === '1')
    return { skipped: 'MIGRATABLE_SKIP_LIBVIRT=1: no libvirt daemons', settings: [], stop: async () => {} };
  const beds = path.join(ROOT, 'out', 'test', 'helpers', 'hosts.js');
  if (!fs.existsSync(beds)) throw new HarnessError(EXIT.SETUP, `${beds} is missing (npm run compile-tests)`);
  const B = require(beds);
  B.assertPrerequisites(['9.0']);
  const [a, b] = await Promise.all([
    B.startDaemon({ libvirt: '9.0', name: 'host-a' }),
    B.startDaemon({ libvirt: '9.0', name: 'host-b' }),
  ]);
  await Promise.all([B.defineNetwork(a, 'lan'), B.defineNetwork(b, 'lan')]);
  await B.defineLoneVfDomain(a, 'web-vf');
  await B.bootFailoverGuest(a, { name: 'web1', standbyNetwork: 'lan' });
  log(`libvirt daemons host-a (${a.uri}) and host-b (${b.uri})`);
  return {
    settings: [
      { name: 'host-a', uri: a.uri },
      { name: 'host-b', uri: b.uri },
    ],
    stop: () => Promise.all([a.stop(), b.stop()]),
  };
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
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor({ timeout: DEADLINE });
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

  /** The readiness report's page (inside the webview's two iframes). */
  report() {
    return this.page.frameLocator('iframe.webview.ready').frameLocator('#active-frame');
  }

  /** The parts of the hover widget, once one shows `expect`: the rendered Markdown, as a person reads it. */
  async hoverParts(expect) {
    await this.command('Show or Focus Hover');
    const parts = this.page.locator('.monaco-hover:not(.hidden) .rendered-markdown');
    await parts.filter({ hasText: expect }).first().waitFor({ timeout: DEADLINE });
    return parts.allInnerTexts();
  }

  /** Switches the colour theme from the palette ("Preferences: Color Theme", then the theme's label). */
  async theme(label) {
    await this.page.keyboard.press('Control+K');
    await this.page.keyboard.press('Control+T');
    await this.page.locator('.quick-input-widget input').first().waitFor({ timeout: DEADLINE });
    await this.page.keyboard.type(label);
    await this.page
      .locator('.quick-input-list .monaco-list-row.focused', { hasText: label })
      .first()
      .waitFor({ timeout: DEADLINE });
    await this.page.keyboard.press('Enter');
    await this.page.locator('.quick-input-widget').first().waitFor({ state: 'hidden', timeout: DEADLINE });
  }

  async shot(out, name, clip) {
    const file = path.join(out, name);
    await this.page.screenshot({ path: file, clip });
    log(`screenshot ${path.relative(ROOT, file)}`);
  }
}

/** Re-evaluates `fn` in a frame (or page) until it returns a truthy value, up to the deadline; returns that value. */
async function until(target, fn, arg, what) {
  const end = Date.now() + DEADLINE;
  let last;
  for (;;) {
    last = await target.evaluate(fn, arg).catch((e) => ({ error: e.message }));
    if (last && !last.error && last.ok !== false) return last;
    if (Date.now() > end) throw new Error(`timed out after ${DEADLINE} ms waiting for ${what}: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 100)); // a poll interval, not a wait for something to happen
  }
}

/**
 * Runs in the report's page: whether it fits its pane, where its "where" links end, and the contrast of the verdict and
 * of the severity badges against what is behind them (WCAG: 4.5 for text).
 */
function reportLayout() {
  const rgb = (c) => (c.match(/[\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => {
    const f = (v) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
    return 0.2126 * f(r) + 0.7152 * f(g) + 0.0722 * f(b);
  };
  const background = (el) => {
    for (let e = el; e; e = e.parentElement) {
      const c = rgb(getComputedStyle(e).backgroundColor);
      if (c.length >= 3 && (c.length < 4 || c[3] > 0)) return c;
    }
    return [255, 255, 255];
  };
  const contrast = (el) => {
    const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(background(el))];
    return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
  };
  const root = document.documentElement;
  const verdict = document.querySelector('.verdict');
  const links = [...document.querySelectorAll('table a[data-line]')].map((a) => a.getBoundingClientRect());
  return {
    paneWidth: root.clientWidth,
    pageWidth: root.scrollWidth,
    linksRight: Math.max(0, ...links.map((r) => r.right)),
    links: links.length,
    verdict: verdict && contrast(verdict),
    badges: [...document.querySelectorAll('.severity')].map(contrast),
    background: getComputedStyle(document.body).backgroundColor,
  };
}

/** The report fits its pane and reads well: nothing wider than the pane, the "where" column in view, contrast >= 4.5. */
function assertReadable(layout, theme) {
  const problems = [];
  if (layout.pageWidth > layout.paneWidth)
    problems.push(`the page is ${layout.pageWidth} px wide in a ${layout.paneWidth} px pane`);
  if (!layout.links || layout.linksRight > layout.paneWidth) problems.push(`the "where" links end at ${layout.linksRight} px`);
  if (!(layout.verdict >= 4.5)) problems.push(`the verdict's contrast is ${layout.verdict?.toFixed(2)}`);
  const weak = layout.badges.filter((c) => !(c >= 4.5));
  if (!layout.badges.length || weak.length)
    problems.push(`severity badges' contrast: ${layout.badges.map((c) => c.toFixed(2)).join(', ')}`);
  if (problems.length) throw new Error(`${theme}: ${problems.join('; ')} (${JSON.stringify(layout)})`);
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
      "hover, as rendered: element names stay (`<mac>`), and a VF's <teaming> names both MACs",
      async () => {
        await ui.goTo(20, 22);
        const mac = await ui.hoverParts('Unicast');
        if (!mac.some((p) => p.startsWith('52:54:00:6d:90:03: address of <mac>')))
          throw new Error(`the MAC hover reads:\n${mac.join('\n---\n')}`);
        await ui.escape();
        await ui.goTo(24, 9);
        const parts = await ui.hoverParts('Teaming pair');
        const teaming = parts.find((p) => p.includes('Teaming pair')) ?? '';
        if (!teaming.startsWith('<teaming>') || !/VF .*MAC 52:54:00:6d:90:03.*persistent .*MAC 52:54:00:6d:90:02/s.test(teaming))
          throw new Error(`the <teaming> hover reads:\n${parts.join('\n---\n')}`);
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
      'preview diff: "Save Destination XML As…" and "Copy virsh migrate Command" in the palette and in its title bar',
      async () => {
        await page.locator('.monaco-diff-editor .editor.modified .view-lines').first().click();
        const rows = await ui.palette('Migratable: ', 'Save Destination XML As');
        if (!rows.some((r) => r.includes('Copy virsh migrate Command')))
          throw new Error(`the palette on the diff lists: ${rows.join(' | ')}`);
        await ui.escape();
        const actions = page.locator('.editor-group-container.active .editor-actions');
        await actions.locator('[aria-label^="Save Destination XML As"]').first().waitFor({ timeout: DEADLINE });
        await actions.locator('[aria-label^="Copy virsh migrate Command"]').first().waitFor({ timeout: DEADLINE });
      },
    ],

    [
      '"Create a profile…" for host-b, which exists: it asks, and "Open the Existing Profile" leaves the file as it was',
      async () => {
        const file = path.join(o.ws, 'host-b.migration.json');
        const before = fs.readFileSync(file, 'utf8');
        await ui.openFile('teaming.xml');
        await ui.command('Migratable: Preview Destination XML', 'Create a profile');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Create a profile' }).first().click();
        await page.waitForFunction(() => document.querySelector('.quick-input-widget input')?.value === 'host-b', null, {
          timeout: DEADLINE,
        });
        await page.keyboard.press('Enter');
        const dialog = page.locator('.monaco-dialog-box', { hasText: 'host-b.migration.json already exists' });
        await dialog.waitFor({ timeout: DEADLINE }).catch(() => {
          throw new Error(
            `no question before replacing host-b.migration.json (it ${fs.readFileSync(file, 'utf8') === before ? 'is unchanged' : 'was overwritten'})`,
          );
        });
        await dialog.locator('.monaco-button', { hasText: 'Open the Existing Profile' }).click();
        await page.locator('.tabs-container .tab.active', { hasText: 'destination host-b' }).waitFor({ timeout: DEADLINE });
        if (fs.readFileSync(file, 'utf8') !== before) throw new Error('host-b.migration.json was overwritten');
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

    [
      'readiness report in a ~460 px pane (Explorer open), light, dark and high-contrast themes: it fits, the "where" column shows, text reads',
      async () => {
        await ui.command('View: Show Explorer');
        const box = await page.locator('iframe.webview.ready').first().boundingBox();
        if (!box || box.width < 380 || box.width > 540)
          throw new Error(`the report pane is ${box?.width} px wide: this check wants ~460`);
        const body = ui.report().locator('body');
        await until(
          body,
          (b) => ({ ok: b.scrollWidth > 0 && b.clientWidth < 540 }),
          null,
          'the report to lay out in the narrow pane',
        );
        assertReadable(await body.evaluate(reportLayout), 'Light Modern');
        for (const theme of ['Dark Modern', 'Dark High Contrast', 'Light High Contrast']) {
          const before = await body.evaluate(() => getComputedStyle(document.body).backgroundColor);
          await ui.theme(theme);
          if (theme !== 'Light High Contrast')
            await until(
              body,
              (_, b) => ({ ok: getComputedStyle(document.body).backgroundColor !== b }),
              before,
              `the report in ${theme}`,
            );
          else
            await until(
              body,
              () => ({ ok: getComputedStyle(document.body).backgroundColor === 'rgb(255, 255, 255)' }),
              null,
              `the report in ${theme}`,
            );
          assertReadable(await body.evaluate(reportLayout), theme);
        }
        await ui.theme('Light Modern');
      },
    ],

    [
      'typing <mac in an interface and taking the completion: the MAC values are suggested at once (no Ctrl+Space)',
      async () => {
        await ui.openFile('teaming.xml');
        // the standby's <mac> line, retyped: `<mac` where its <mac address='…'/> was
        await ui.goTo(26, 1);
        await page.keyboard.press('End');
        await page.keyboard.press('Shift+Home');
        await page.keyboard.press('Delete'); // typing '<' over a selection would wrap it in <…>
        await page.keyboard.type('<mac');
        await page.keyboard.press('Control+Space'); // the element list; the values must then come by themselves
        const suggest = page.locator('.editor-widget.suggest-widget.visible');
        await suggest.locator('.monaco-list-row.focused', { hasText: /^mac/ }).first().waitFor({ timeout: DEADLINE });
        await page.keyboard.press('Enter');
        await suggest
          .locator('.monaco-list-row', { hasText: /52:54:00:[0-9a-f]{2}:/ })
          .first()
          .waitFor({ timeout: DEADLINE });
        await ui.escape();
        await ui.command('File: Revert File');
      },
    ],

    [
      'Libvirt Hosts view: host-a with its versions, its domains with state and verdict; a domain opened from it is judged for it',
      async () => {
        await ui.command('View: Close All Editors'); // the picture shows the view and one domain from it
        await ui.command('Libvirt Hosts: Focus on Libvirt Hosts View');
        const view = page.locator('.pane', { has: page.locator('.pane-header', { hasText: 'Libvirt Hosts' }) }).first();
        const row = (text) => view.locator('.monaco-list-row', { hasText: text }).first();
        await row('host-a').waitFor({ timeout: DEADLINE });
        await row('host-a')
          .locator('.label-description', { hasText: /^libvirt 9\.0\.0, QEMU 7\.2/ })
          .waitFor({ timeout: DEADLINE });
        await row('host-a').click();
        await row('Domains').click();
        await row('web1').locator('.label-description', { hasText: 'running · migratable' }).waitFor({ timeout: DEADLINE });
        await row('web-vf').locator('.label-description', { hasText: 'shut off · 1 blocker' }).waitFor({ timeout: DEADLINE });
        await row('Networks').click();
        await row('lan').waitFor({ timeout: DEADLINE });
        await row('web-vf').click(); // opens libvirt-domain://host-a/web-vf.xml
        await page.locator('.tabs-container .tab.active', { hasText: 'web-vf.xml' }).first().waitFor({ timeout: DEADLINE });
        await page.keyboard.press('Control+Shift+M');
        await page
          .locator('.markers-panel .monaco-list-row', { hasText: /on host-a: QEMU 7\.2\.\d+ blocks every VFIO device/ })
          .first()
          .waitFor({ timeout: DEADLINE });
        await page.mouse.move(VIEWPORT.width / 2, VIEWPORT.height / 3);
        await ui.shot(o.out, 'hosts-view.png');
        await ui.command('View: Close All Editors');
      },
      { needsHosts: true },
    ],

    [
      'Make Domain Migratable: a summary that fits the notification, the details behind "Show Details"',
      async () => {
        await ui.openFile('broken.xml');
        await ui.command('Migratable: Make Domain Migratable');
        const toast = page.locator('.notifications-toasts .notification-toast', { hasText: 'Migratable:' }).last();
        await toast.waitFor({ timeout: DEADLINE });
        // the whole message in view: nothing clipped at the side or below (VS Code clamps a toast's message)
        const message = await toast
          .locator('.notification-list-item-message')
          .first()
          .evaluate((e) => ({
            text: e.innerText,
            cut: e.scrollWidth > e.clientWidth + 1 || e.scrollHeight > e.clientHeight + 1,
          }));
        if (message.cut || !/fixes applied/.test(message.text))
          throw new Error(`the notification shows: "${message.text}" (cut: ${message.cut})`);
        await toast.locator('.monaco-button', { hasText: 'Show Details' }).click();
        await page.locator('.part.panel .view-lines', { hasText: 'left to fix by hand' }).first().waitFor({ timeout: DEADLINE });
        await ui.command('File: Revert File');
      },
      { vsixOnly: true },
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
