// Shared by the *.test.js files. Everything waits on VS Code events with a deadline: no fixed sleeps.
'use strict';
const assert = require('assert');
const path = require('path');
const { spawnSync } = require('child_process');
const vscode = require('vscode');

const SOURCE = 'migratable';
const ROOT = path.resolve(__dirname, '..', '..', '..');
const manifest = require(path.join(ROOT, 'package.json'));
const EXTENSION_ID = process.env.E2E_EXTENSION_ID || `${manifest.publisher}.${manifest.name}`;
/** Default deadline for "the server answers": generous, a cold extension host on a 2-core CI box is slow. */
const DEADLINE_MS = +(process.env.E2E_DEADLINE_MS || 20000);

/** The diagnostic's code as a string (LSP codes arrive as a string, or as { value, target } with a codeDescription). */
function codeOf(d) {
  return d.code !== null && typeof d.code === 'object' ? String(d.code.value) : d.code === undefined ? undefined : String(d.code);
}

/** This extension's diagnostics of a document, as VS Code holds them. */
function migratable(uri) {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

function describe(diags) {
  return diags.length
    ? diags
        .map((d) => `  ${codeOf(d)} ${vscode.DiagnosticSeverity[d.severity]} line ${d.range.start.line + 1}: ${d.message}`)
        .join('\n')
    : '  (none)';
}

/**
 * Resolves with the document's migratable diagnostics once `predicate(diags)` holds: checked now, then on every
 * vscode.languages.onDidChangeDiagnostics event for that document. Rejects at the deadline, saying what was there.
 */
function waitForDiagnostics(uri, predicate, what, timeoutMs = DEADLINE_MS) {
  return new Promise((resolve, reject) => {
    const key = uri.toString();
    let sub;
    const finish = (fn, v) => {
      clearTimeout(timer);
      sub?.dispose();
      fn(v);
    };
    const check = () => {
      const diags = migratable(uri);
      let ok;
      try {
        ok = predicate(diags);
      } catch (e) {
        finish(reject, e);
        return true;
      }
      if (ok) finish(resolve, diags);
      return ok;
    };
    const timer = setTimeout(
      () =>
        finish(
          reject,
          new Error(
            `timed out after ${timeoutMs} ms waiting for ${what} in ${path.basename(uri.fsPath)}; its migratable diagnostics:\n${describe(migratable(uri))}`,
          ),
        ),
      timeoutMs,
    );
    sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === key)) check();
    });
    check();
  });
}

/** Waits for one VS Code event (optionally matching a filter), with a deadline. */
function nextEvent(event, filter, what, timeoutMs = DEADLINE_MS) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}`));
    }, timeoutMs);
    const sub = event((e) => {
      if (!filter || filter(e)) {
        clearTimeout(timer);
        sub.dispose();
        resolve(e);
      }
    });
  });
}

/** As the language service's isBlocker: every error, and the warnings that block migration. */
const isBlocker = (d) =>
  d.severity === vscode.DiagnosticSeverity.Error ||
  (d.severity === vscode.DiagnosticSeverity.Warning && (codeOf(d).startsWith('migration-') || codeOf(d) === 'teaming-not-pcie'));
const hasCode = (code) => (diags) => diags.some((d) => codeOf(d) === code);
const lacksCode = (code) => (diags) => !diags.some((d) => codeOf(d) === code);

/** A file of the workspace folder the harness opened (a throw-away copy of test/e2e/workspace). */
function workspaceFile(name) {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open (the harness opens a copy of test/e2e/workspace)');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** Opens a workspace file in an editor (that is what activates the extension: onLanguage:xml), and makes sure the
 *  extension is active, so that a failed activation fails the test at once instead of at a deadline. */
async function open(name) {
  const doc = await vscode.workspace.openTextDocument(workspaceFile(name));
  await vscode.window.showTextDocument(doc, { preview: false });
  assert.strictEqual(doc.languageId, 'xml', `${name} should open as XML`);
  await activate();
  return doc;
}

/** The extension, activated; its exports (the API it returns from activate()) or undefined. */
async function activate() {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(
    ext,
    `extension ${EXTENSION_ID} is not loaded (extensions: ${vscode.extensions.all
      .filter((e) => !e.id.startsWith('vscode.'))
      .map((e) => e.id)
      .join(', ')})`,
  );
  return { ext, api: await ext.activate() };
}

/** Line (0-based) of the n-th line of the document that contains `needle`. */
function lineOf(doc, needle, nth = 0) {
  const hits = [];
  for (let i = 0; i < doc.lineCount; i++) if (doc.lineAt(i).text.includes(needle)) hits.push(i);
  assert.ok(hits.length > nth, `"${needle}" occurs ${hits.length} time(s) in ${path.basename(doc.uri.fsPath)}`);
  return hits[nth];
}

/** `text` with the only occurrence of `from` replaced by `to` (fails when `from` is absent or occurs twice). */
function replaceOnce(text, from, to) {
  const at = text.indexOf(from);
  assert.ok(at >= 0 && text.indexOf(from, at + 1) < 0, `"${from}" occurs exactly once`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** Replaces a document's whole text in memory (not saved). */
async function setText(doc, text) {
  const edit = new vscode.WorkspaceEdit();
  edit.replace(doc.uri, new vscode.Range(doc.positionAt(0), doc.positionAt(doc.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), `could not edit ${doc.uri.fsPath}`);
}

/** Sets a `migratable.*` setting in the user settings (the harness's throw-away user-data-dir) and waits for VS Code
 *  to take it. `undefined` removes it. */
async function setSetting(key, value) {
  const before = vscode.workspace.getConfiguration('migratable').inspect(key)?.globalValue;
  if (JSON.stringify(before) === JSON.stringify(value)) return;
  const changed = nextEvent(
    vscode.workspace.onDidChangeConfiguration,
    (e) => e.affectsConfiguration(`migratable.${key}`),
    `migratable.${key} to change`,
  );
  await vscode.workspace.getConfiguration('migratable').update(key, value, vscode.ConfigurationTarget.Global);
  await changed;
}

/**
 * Resolves once `condition()` holds: checked now, then whenever one of `events` fires (editor, tab or document
 * changes by default). Rejects at the deadline, saying what it waited for and, through `state()`, what there was.
 */
function until(condition, what, { events = EDITOR_EVENTS, state = () => '', timeoutMs = DEADLINE_MS } = {}) {
  if (condition()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const subs = [];
    const done = (fn, v) => {
      clearTimeout(timer);
      for (const s of subs) s.dispose();
      fn(v);
    };
    const timer = setTimeout(
      () => done(reject, new Error(`timed out after ${timeoutMs} ms waiting for ${what}${state()}`)),
      timeoutMs,
    );
    for (const event of events())
      subs.push(
        event(() => {
          if (condition()) done(resolve);
        }),
      );
  });
}

/** The events that change which editors and documents there are. */
function EDITOR_EVENTS() {
  return [
    vscode.window.onDidChangeActiveTextEditor,
    vscode.window.onDidChangeVisibleTextEditors,
    vscode.window.tabGroups.onDidChangeTabs,
    vscode.window.tabGroups.onDidChangeTabGroups,
    vscode.workspace.onDidCloseTextDocument,
    vscode.workspace.onDidChangeTextDocument,
  ];
}

const tabs = () => vscode.window.tabGroups.all.flatMap((g) => g.tabs);
const tabState = () =>
  `; open tabs: ${
    tabs()
      .map((t) => t.label)
      .join(', ') || '(none)'
  }`;

/** The tabs of destination previews (diff editors whose right side is a migratable-dest: document). */
const destinationTabs = () =>
  tabs().filter((t) => t.input instanceof vscode.TabInputTextDiff && t.input.modified.scheme === 'migratable-dest');

/**
 * Resolves with the destination preview tabs once there are `n`. An editor command resolves when the workbench has
 * opened the editor; the extension host's tab model learns it a moment later.
 */
async function waitForDestinationTabs(n = 1) {
  await until(() => destinationTabs().length === n, `${n} destination preview tab(s)`, { state: tabState });
  return destinationTabs();
}

/**
 * Shows a document and resolves once its editor is the active one. Another editor opening at the same moment makes
 * showTextDocument fail ("another editor opened in the meantime"): then it waits for the editors to settle and
 * tries again, until the deadline.
 */
async function showActive(doc) {
  const end = Date.now() + DEADLINE_MS;
  for (;;) {
    try {
      await vscode.window.showTextDocument(doc, { preview: false });
    } catch (e) {
      if (Date.now() > end) throw e;
    }
    if (vscode.window.activeTextEditor?.document === doc) return;
    if (Date.now() > end) throw new Error(`${doc.uri.toString()} did not become the active editor${tabState()}`);
    await until(
      () => vscode.window.activeTextEditor?.document === doc,
      `${path.basename(doc.uri.path)} to be the active editor`,
      { state: tabState, timeoutMs: Math.max(1, Math.min(2000, end - Date.now())) },
    ).catch(() => {});
  }
}

/**
 * Reverts the documents the tests modified (files of the workspace folder) and reverts and closes every untitled one
 * (so that closing editors never asks "save?"), then closes all editors and waits until no tab is left. Untitled
 * documents regardless of isDirty: the extension host learns it with a delay. Documents outside the workspace (the
 * user settings.json a setting change touched) are not the tests': left alone.
 */
async function resetEditors() {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.toString();
  const ours = (d) =>
    !d.isClosed &&
    (d.isUntitled || (d.isDirty && d.uri.scheme === 'file' && !!folder && d.uri.toString().startsWith(folder + '/')));
  for (const doc of vscode.workspace.textDocuments.filter(ours)) {
    await showActive(doc);
    await vscode.commands.executeCommand(
      doc.isUntitled ? 'workbench.action.revertAndCloseActiveEditor' : 'workbench.action.files.revert',
    );
    if (!doc.isUntitled) await until(() => !doc.isDirty, `${path.basename(doc.uri.path)} to be reverted`, { state: tabState });
  }
  await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  await until(() => tabs().length === 0, 'every editor to close', { state: tabState });
}

/** Resolves with the document once `predicate(doc.getText())` holds: checked now, then on each change of it. */
function waitForText(doc, predicate, what, timeoutMs = DEADLINE_MS) {
  if (predicate(doc.getText())) return Promise.resolve(doc);
  return nextEvent(
    vscode.workspace.onDidChangeTextDocument,
    (e) => e.document === doc && predicate(doc.getText()),
    what,
    timeoutMs,
  ).then(
    () => doc,
    (err) => {
      throw new Error(`${err.message}; its text:\n${doc.getText()}`);
    },
  );
}

/** The first open document that matches, already open or opened within the deadline. */
function waitForDocument(match, what, timeoutMs = DEADLINE_MS) {
  const open = vscode.workspace.textDocuments.find(match);
  return open ? Promise.resolve(open) : nextEvent(vscode.workspace.onDidOpenTextDocument, match, what, timeoutMs);
}

/**
 * Runs the `migratable` CLI bundled with the extension under test (server/out/cli.js of the development folder or of
 * the installed .vsix) with an argument array. The extension host's executable is Node (code-server) or Electron
 * (desktop VS Code, hence ELECTRON_RUN_AS_NODE).
 */
function cli(args) {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  const script = path.join(ext.extensionPath, 'server', 'out', 'cli.js');
  const r = spawnSync(process.execPath, [script, ...args], {
    encoding: 'utf8',
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
    timeout: DEADLINE_MS,
  });
  if (r.error) throw r.error;
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

module.exports = {
  SOURCE,
  ROOT,
  EXTENSION_ID,
  DEADLINE_MS,
  codeOf,
  isBlocker,
  migratable,
  describe,
  waitForDiagnostics,
  nextEvent,
  hasCode,
  lacksCode,
  workspaceFile,
  open,
  activate,
  lineOf,
  setText,
  setSetting,
  resetEditors,
  showActive,
  until,
  destinationTabs,
  waitForDestinationTabs,
  waitForText,
  waitForDocument,
  cli,
  replaceOnce,
};
