// Typing a domain by hand (issue #10 item 8; issue #12 item 10): element skeletons on their own lines, value
// completion inside a value that runs over lines, hover on an end tag.
'use strict';
const assert = require('assert');
const vscode = require('vscode');
const h = require('./helpers');

const labelOf = (item) => (typeof item.label === 'string' ? item.label : item.label.label);

describe('editing a domain', () => {
  afterEach(h.resetEditors);

  it('completing <interface> opens it on its own lines, the cursor inside: what is typed next lands in it', async () => {
    const doc = await h.open('teaming-ok.xml');
    await h.waitForDiagnostics(doc.uri, (x) => x.length > 0, 'the domain to be checked');
    const editor = vscode.window.activeTextEditor;
    const line = h.lineOf(doc, '</devices>');
    await editor.edit((b) => b.insert(new vscode.Position(line, 0), '    <\n'));
    const at = new vscode.Position(line, 5);
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, at, '<');
    const item = list.items.find((i) => labelOf(i) === 'interface');
    assert.ok(item, `offered: ${list.items.map(labelOf).join(', ')}`);
    assert.ok(
      list.items.some((i) => labelOf(i) === 'interface (SR-IOV VF, hostdev)'),
      'a snippet for a lone VF is offered too',
    );
    const range = item.range.replacing ?? item.range;
    await editor.insertSnippet(item.insertText, range);
    await vscode.commands.executeCommand('jumpToNextSnippetPlaceholder'); // past type=, to the final tab stop
    const cursor = editor.selection.active;
    assert.match(doc.lineAt(cursor.line - 1).text, /^ {4}<interface type='[a-z]+'>$/, doc.getText());
    assert.strictEqual(doc.lineAt(cursor.line).text, '      ', 'the cursor is on a line of its own, one level deeper');
    assert.strictEqual(doc.lineAt(cursor.line + 1).text, '    </interface>');
    await editor.edit((b) => b.insert(cursor, "<model type='virtio'/>"));
    assert.ok(
      doc.getText().includes("<interface type='") && /'>\n {6}<model type='virtio'\/>\n {4}<\/interface>/.test(doc.getText()),
    );
  });

  it('inside a value written over two lines: the values are offered (one-line ranges, as LSP requires)', async () => {
    const doc = await h.open('teaming-ok.xml');
    await h.waitForDiagnostics(doc.uri, (x) => x.length > 0, 'the domain to be checked');
    const editor = vscode.window.activeTextEditor;
    // a second interface whose network= is written over two lines; the standby's network 'default' is the proposal
    const line = h.lineOf(doc, '</devices>');
    await editor.edit((b) =>
      b.insert(
        new vscode.Position(line, 0),
        "    <interface type='network'>\n      <source network='def\nau'/>\n    </interface>\n",
      ),
    );
    const at = new vscode.Position(line + 2, 1);
    const list = await vscode.commands.executeCommand('vscode.executeCompletionItemProvider', doc.uri, at);
    const item = list.items.find((i) => labelOf(i) === 'default');
    assert.ok(item, `offered: ${list.items.map(labelOf).join(', ') || 'nothing'}`);
    // the suggest widget drops an item whose range spans lines or misses the cursor
    for (const r of item.range instanceof vscode.Range ? [item.range] : [item.range.inserting, item.range.replacing]) {
      assert.ok(r.isSingleLine && r.contains(at), `range ${JSON.stringify(r)} is on one line and holds ${JSON.stringify(at)}`);
    }
  });

  it('hover on the / of an end tag: its range holds the cursor', async () => {
    const doc = await h.open('teaming-ok.xml');
    await h.waitForDiagnostics(doc.uri, (x) => x.length > 0, 'the domain to be checked');
    const line = h.lineOf(doc, '</devices>');
    const at = new vscode.Position(line, doc.lineAt(line).text.indexOf('/'));
    const [hover] = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, at);
    assert.ok(hover, 'a hover');
    assert.ok(hover.range.contains(at), `range ${JSON.stringify(hover.range)} holds ${JSON.stringify(at)}`);
    assert.match(hover.contents.map((c) => c.value ?? c).join('\n'), /\*\*`<devices>`\*\*/);
  });
});
