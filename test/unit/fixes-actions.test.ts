import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DiagnosticSeverity, type CodeAction, type Diagnostic } from 'vscode-languageserver-types';
import { FIX_ALL_KIND, fixAll, getCodeActions, parse, validate, type FixSettings } from '../../server/src/service';
import { doc, seeded } from '../fixes/cases';

function domain(devices: string, name = 'd'): string {
  return `<domain type='kvm'>\n  <name>${name}</name>\n  <memory unit='KiB'>1048576</memory>\n  <vcpu>1</vcpu>\n  <os>\n    <type arch='x86_64' machine='q35'>hvm</type>\n  </os>\n  <devices>\n${devices}  </devices>\n</domain>\n`;
}
function standby(
  alias = 'ua-backup0',
  mac = '52:54:00:6d:90:02',
  extra = "<model type='virtio'/><teaming type='persistent'/>",
): string {
  return `    <interface type='network'><mac address='${mac}'/><source network='default'/>${extra}<alias name='${alias}'/></interface>\n`;
}
function vf(teaming = "<teaming type='transient' persistent='ua-backup0'/>", mac = '52:54:00:6d:90:02', fn = 0): string {
  return `    <interface type='hostdev' managed='yes'>\n      <mac address='${mac}'/>\n      <source><address type='pci' domain='0x0000' bus='0x42' slot='0x02' function='0x${fn}'/></source>\n      ${teaming}\n    </interface>\n`;
}
const HOSTDEV =
  "    <hostdev mode='subsystem' type='pci' managed='yes'>\n      <source><address domain='0x0000' bus='0x42' slot='0x02' function='0x3'/></source>\n    </hostdev>\n";

function actionsFor(text: string, code: string, settings: FixSettings = {}, nth = 0) {
  const d = doc(text);
  const parsed = parse(d);
  const diagnostic = validate(d, parsed).filter((x) => x.code === code)[nth];
  assert.ok(diagnostic, `no ${code} diagnostic`);
  return { d, diagnostic, actions: getCodeActions(d, parsed, [diagnostic], settings, undefined, seeded(1)) };
}
function titles(actions: CodeAction[]): string[] {
  return actions.map((a) => (a.isPreferred ? '* ' : '') + a.title);
}
function applied(d: TextDocument, a: CodeAction): string {
  return TextDocument.applyEdits(d, a.edit!.changes![d.uri]);
}
function codes(text: string): string[] {
  const d = doc(text);
  return validate(d, parse(d)).map((x) => String(x.code));
}

describe('quick fixes offered per diagnostic code (the table of issue 3; * = preferred, i.e. safe)', () => {
  it('migration-hostdev on <interface type=hostdev>: add a partner (safe), or use a VF pool too', () => {
    assert.deepEqual(titles(actionsFor(domain(vf('')), 'migration-hostdev').actions), [
      '* Add a virtio failover partner',
      "Use the VF pool network 'sriov-pool' instead of this host's PCI address (and add a virtio failover partner)",
    ]);
  });

  it('migration-hostdev on a plain PCI <hostdev>: convert, or keep it; neither is safe (it may not be a NIC)', () => {
    const { d, actions } = actionsFor(domain(HOSTDEV), 'migration-hostdev');
    assert.deepEqual(titles(actions), [
      "Convert to <interface type='hostdev'> with a virtio failover partner (libvirt then sets the VF's MAC)",
      "Add a virtio failover partner, keep <hostdev> (then set the VF's MAC on the host)",
    ]);
    // keeping <hostdev>, the VF's MAC must be set on the host: the rules say so as information
    assert.deepEqual(
      codes(applied(d, actions[1])).filter((c) => c.startsWith('teaming-hostdev')),
      ['teaming-hostdev-mac'],
    );
  });

  it("teaming-mac-mismatch: the standby's MAC on the VF (safe), or the VF's on the standby", () => {
    assert.deepEqual(titles(actionsFor(domain(standby() + vf(undefined, '52:54:00:6d:90:03')), 'teaming-mac-mismatch').actions), [
      "* Use the standby's MAC 52:54:00:6d:90:02 on the VF",
      "Use the VF's MAC 52:54:00:6d:90:03 on the standby",
    ]);
  });

  it("teaming-mac-mismatch: when the standby's MAC is unusable, the VF's is the safe one", () => {
    assert.deepEqual(
      titles(actionsFor(domain(standby('ua-backup0', '01:00:5e:00:00:01') + vf()), 'teaming-mac-mismatch').actions),
      ["* Use the VF's MAC 52:54:00:6d:90:02 on the standby"],
    );
  });

  it("teaming-mac-missing: a fresh MAC on both sides, or the partner's", () => {
    const noMacs = domain(standby().replace(/<mac [^>]*>/, '') + vf().replace(/ *<mac [^>]*>\n/, ''));
    const { d, actions } = actionsFor(noMacs, 'teaming-mac-missing');
    assert.deepEqual(titles(actions), ['* Add a matching MAC 52:54:00:a0:00:87 on both sides']);
    assert.equal((applied(d, actions[0]).match(/52:54:00:a0:00:87/g) ?? []).length, 2);
    const vfOnly = domain(standby() + vf().replace(/ *<mac [^>]*>\n/, ''));
    assert.deepEqual(titles(actionsFor(vfOnly, 'teaming-mac-missing').actions), ["* Add the partner's MAC 52:54:00:6d:90:02"]);
  });

  it('teaming-dangling: point at each persistent interface; add a partner when none is free', () => {
    const text = domain(
      standby('ua-a', '52:54:00:00:00:0a') +
        vf("<teaming type='transient' persistent='ua-a'/>", '52:54:00:00:00:0a') +
        standby('ua-b', '52:54:00:00:00:0b') +
        vf("<teaming type='transient' persistent='ua-b'/>", '52:54:00:00:00:0b', 1) +
        vf("<teaming type='transient' persistent='ua-c'/>", '52:54:00:00:00:0c', 2),
    );
    assert.deepEqual(titles(actionsFor(text, 'teaming-dangling').actions), [
      "Point at 'ua-a'",
      "Point at 'ua-b'",
      '* Add a virtio failover partner',
    ]);
  });

  it('teaming-dangling: the one free standby is the safe choice, and one without an alias gets one', () => {
    const text = domain(
      standby('ua-a') +
        "    <interface type='bridge'><mac address='52:54:00:00:00:0d'/><source bridge='br0'/><model type='virtio'/><teaming type='persistent'/></interface>\n" +
        vf("<teaming type='transient' persistent='ua-a'/>") +
        vf("<teaming type='transient' persistent='nothing'/>", '52:54:00:00:00:0d', 1),
    );
    const { d, actions } = actionsFor(text, 'teaming-dangling');
    assert.deepEqual(titles(actions), [
      "Point at 'ua-a'",
      "* Point at the interface with MAC 52:54:00:00:00:0d (giving it the alias 'ua-standby0')",
    ]);
    assert.deepEqual(
      codes(applied(d, actions[1])).filter((c) => c !== 'teaming-guest-support'),
      [],
    );
  });

  it('alias-dropped: rename to ua-…, with every persistent= that names it', () => {
    const { d, actions } = actionsFor(
      domain(standby('backup.0') + vf("<teaming type='transient' persistent='backup.0'/>")),
      'alias-dropped',
    );
    assert.deepEqual(titles(actions), ["* Rename to 'ua-backup-0' (and the persistent= that names it)"]);
    assert.equal((applied(d, actions[0]).match(/'ua-backup-0'/g) ?? []).length, 2);
  });

  it("teaming-persistent-model: set <model type='virtio'/> (changed, or added)", () => {
    const e1000e = domain(standby('ua-backup0', undefined, "<model type='e1000e'/><teaming type='persistent'/>") + vf());
    const none = domain(standby('ua-backup0', undefined, "<teaming type='persistent'/>") + vf());
    for (const text of [e1000e, none]) {
      const { d, actions } = actionsFor(text, 'teaming-persistent-model');
      assert.deepEqual(titles(actions), ["* Set <model type='virtio'/>"]);
      assert.ok(!codes(applied(d, actions[0])).includes('teaming-persistent-model'));
    }
  });

  it('teaming-persistent-attr-missing and -unexpected: add or remove persistent=', () => {
    assert.deepEqual(
      titles(actionsFor(domain(standby() + vf("<teaming type='transient'/>")), 'teaming-persistent-attr-missing').actions),
      ["* Point at 'ua-backup0'"],
    );
    assert.deepEqual(
      titles(
        actionsFor(domain(standby() + vf("<teaming type='transient' persistent=''/>")), 'teaming-persistent-attr-missing')
          .actions,
      ),
      ["* Point at 'ua-backup0'"],
    );
    const unexpected = domain(
      standby('ua-backup0', undefined, "<model type='virtio'/><teaming type='persistent' persistent='ua-backup0'/>") + vf(),
    );
    const { d, actions } = actionsFor(unexpected, 'teaming-persistent-attr-unexpected');
    assert.deepEqual(titles(actions), ['* Remove persistent= (only the transient side names its partner)']);
    assert.ok(applied(d, actions[0]).includes("<teaming type='persistent'/>"));
  });

  it('teaming-type-invalid: pick transient or persistent; safe where the device says which', () => {
    assert.deepEqual(
      titles(
        actionsFor(domain(standby() + vf("<teaming type='bogus' persistent='ua-backup0'/>")), 'teaming-type-invalid').actions,
      ),
      ["* Set type='transient' (this is the VF)"],
    );
    assert.deepEqual(
      titles(
        actionsFor(domain(standby('ua-backup0', undefined, "<model type='virtio'/><teaming/>") + vf()), 'teaming-type-invalid')
          .actions,
      ),
      ["Set type='transient' (this is the VF)", "* Set type='persistent' (this is the virtio standby)"],
    );
  });

  it('teaming-multiple-transients: a separate partner; safe for every VF but the one whose MAC matches', () => {
    const text = domain(standby() + vf(undefined, '52:54:00:6d:90:07') + vf(undefined, undefined, 1));
    assert.deepEqual(titles(actionsFor(text, 'teaming-multiple-transients', {}, 0).actions), [
      '* Add a separate virtio failover partner for this VF',
    ]);
    assert.deepEqual(titles(actionsFor(text, 'teaming-multiple-transients', {}, 1).actions), [
      'Add a separate virtio failover partner for this VF',
    ]);
  });

  it('mac-invalid, mac-multicast, mac-duplicate: a new MAC, kept equal on a pair; safe except for a duplicate', () => {
    assert.deepEqual(titles(actionsFor(domain(standby('ua-backup0', 'nope') + vf(undefined, 'nope')), 'mac-invalid').actions), [
      '* Generate a new MAC 52:54:00:a0:00:87 (on both sides of the teaming pair)',
    ]);
    assert.deepEqual(
      titles(actionsFor(domain(standby('ua-x', '03:00:00:00:00:01', "<model type='virtio'/>")), 'mac-multicast').actions),
      ['* Generate a new MAC 52:54:00:a0:00:87'],
    );
    assert.deepEqual(
      titles(actionsFor(domain(standby('ua-x', undefined, '') + standby('ua-y', undefined, '')), 'mac-duplicate').actions),
      ['Generate a new MAC 52:54:00:a0:00:87'],
    );
  });
});

describe('getCodeActions', () => {
  const broken = domain(standby() + vf(undefined, '52:54:00:6d:90:03'));

  it('returns quick fixes with the diagnostic, a WorkspaceEdit keyed by the uri, at most one preferred each', () => {
    const d = doc(broken);
    const parsed = parse(d);
    const diagnostics = validate(d, parsed);
    const actions = getCodeActions(d, parsed, diagnostics, {});
    assert.ok(actions.length >= 2);
    for (const a of actions) {
      assert.equal(a.kind, 'quickfix');
      assert.equal(a.diagnostics?.length, 1);
      assert.deepEqual(Object.keys(a.edit!.changes!), [d.uri]);
    }
    for (const dg of diagnostics) assert.ok(actions.filter((a) => a.diagnostics![0] === dg && a.isPreferred).length <= 1);
  });

  it('honours context.only: the fix-all source action only when asked for, quick fixes only when not excluded', () => {
    const d = doc(broken);
    const parsed = parse(d);
    const diagnostics = validate(d, parsed);
    const kinds = (only?: string[]) => [...new Set(getCodeActions(d, parsed, diagnostics, {}, only).map((a) => a.kind))];
    assert.equal(FIX_ALL_KIND, 'source.fixAll.migratable');
    assert.deepEqual(kinds(undefined), ['quickfix']);
    assert.deepEqual(kinds(['quickfix']), ['quickfix']);
    assert.deepEqual(kinds(['source.fixAll']), [FIX_ALL_KIND]);
    assert.deepEqual(kinds(['source']), [FIX_ALL_KIND]);
    assert.deepEqual(kinds([FIX_ALL_KIND]), [FIX_ALL_KIND]);
    assert.deepEqual(kinds(['quickfix', 'source.fixAll']), ['quickfix', FIX_ALL_KIND]);
    assert.deepEqual(kinds(['refactor']), []);
    assert.deepEqual(kinds(['source.fixAll.eslint']), []);
    const all = getCodeActions(d, parsed, [], {}, ['source.fixAll'], seeded(1));
    assert.equal(all[0].title, 'Make Domain Migratable');
    assert.deepEqual(all[0].edit!.changes![d.uri], fixAll(d, parsed, {}, seeded(1)).edits);
  });

  it('offers no fix-all action when there is nothing to do', () => {
    const d = doc(domain(standby() + vf()));
    assert.deepEqual(getCodeActions(d, parse(d), [], {}, ['source.fixAll']), []);
  });

  it('finds fixes by code and data, never by message, ignores other sources and stale payloads', () => {
    const d = doc(broken);
    const parsed = parse(d);
    const mismatch = validate(d, parsed).find((x) => x.code === 'teaming-mac-mismatch')!;
    const relabelled: Diagnostic = { ...mismatch, message: 'something else entirely' };
    assert.equal(getCodeActions(d, parsed, [relabelled], {}).length, 2);
    assert.equal(getCodeActions(d, parsed, [{ ...mismatch, source: 'xml' }], {}).length, 0);
    assert.equal(
      getCodeActions(d, parsed, [{ ...mismatch, data: { vfMac: '52:54:00:00:00:01', standbyMac: '52:54:00:6d:90:02' } }], {})
        .length,
      0,
    );
  });

  it('re-parses when handed a parse of another version of the text', () => {
    const old = doc(broken);
    const oldParsed = parse(old);
    const newer = TextDocument.create(old.uri, 'xml', 2, '<!-- a line more -->\n' + broken);
    const diagnostic = validate(newer, parse(newer)).find((x) => x.code === 'teaming-mac-mismatch')!;
    const [action] = getCodeActions(newer, oldParsed, [diagnostic], {});
    assert.ok(
      TextDocument.applyEdits(newer, action.edit!.changes![newer.uri]).includes(
        "<mac address='52:54:00:6d:90:02'/>\n      <source><address",
      ),
    );
  });

  it('reads the settings: standby network or bridge, VF pool network', () => {
    const text = domain(vf(''));
    const first = (settings: FixSettings, i = 0) => {
      const { d, actions } = actionsFor(text, 'migration-hostdev', settings);
      return applied(d, actions[i]);
    };
    assert.ok(
      first({}).includes(
        "<interface type='network'>\n      <mac address='52:54:00:6d:90:02'/>\n      <source network='default'/>",
      ),
    );
    assert.ok(first({ standbyNetwork: 'lan' }).includes("<source network='lan'/>"));
    const bridged = first({ standbyBridge: 'br9' });
    assert.ok(
      bridged.includes("<interface type='bridge'>\n      <mac address='52:54:00:6d:90:02'/>\n      <source bridge='br9'/>"),
    );
    assert.ok(first({ vfPoolNetwork: 'pool7' }, 1).includes("<source network='pool7'/>"));
  });
});

describe('fixAll', () => {
  it('leaves a plain <hostdev> alone (it may not be a NIC) and says what is left', () => {
    const d = doc(domain(HOSTDEV));
    const r = fixAll(d, parse(d), {});
    assert.deepEqual(r.edits, []);
    assert.equal(r.remaining.length, 1);
    assert.match(r.remaining[0], /^line 9: .*\(migration-hostdev\)$/);
  });

  it('does nothing to a document with XML syntax errors, and says why', () => {
    const d = doc(domain(vf('')).replace('</devices>', ''));
    const r = fixAll(d, parse(d), {});
    assert.deepEqual(r.edits, []);
    assert.deepEqual(r.remaining, ['the document has XML syntax errors: fix them first']);
  });

  it('does nothing to a document that is not a domain', () => {
    const d = doc('<network><name>x</name></network>\n');
    assert.deepEqual(fixAll(d, parse(d), {}), { edits: [], summary: [], remaining: [] });
  });

  it('skips rules the user turned off', () => {
    const d = doc(domain(standby() + vf(undefined, '52:54:00:6d:90:03')));
    assert.deepEqual(fixAll(d, parse(d), { rules: { 'teaming-mac-mismatch': 'off' } }).edits, []);
    assert.equal(fixAll(d, parse(d), {}).edits.length, 1);
  });

  it('gives every VF its own partner: distinct aliases and MACs, one summary line each', () => {
    const text = domain(
      vf('', '52:54:00:00:00:01') +
        vf('', '52:54:00:00:00:01', 1).replace(/ *<mac [^>]*>\n/, '') +
        vf('', '52:54:00:00:00:03', 2),
    );
    const d = doc(text);
    const r = fixAll(d, parse(d), {});
    const fixed = TextDocument.applyEdits(d, r.edits);
    assert.equal(r.summary.length, 3);
    const model = parse(doc(fixed)).model!;
    assert.equal(model.links.filter((l) => l.partner).length, 3);
    assert.deepEqual([...new Set(model.aliases.map((a) => a.name.value))].length, 3);
    const macs = model.links.map((l) => l.partner!.mac!.value);
    assert.equal(macs[0], '52:54:00:00:00:01');
    assert.notEqual(macs[1], '52:54:00:00:00:01', 'a VF without a MAC got one already in use');
    const d2 = doc(fixed);
    assert.deepEqual(
      validate(d2, parse(d2))
        .filter((x) => x.severity! <= DiagnosticSeverity.Warning)
        .map((x) => x.code),
      [],
    );
  });

  it('turns a VF wrongly marked persistent into the transient side of a new pair', () => {
    const d = doc(domain(vf("<teaming type='persistent'/>")));
    const fixed = doc(TextDocument.applyEdits(d, fixAll(d, parse(d), {}).edits));
    assert.ok(fixed.getText().includes("<teaming type='transient' persistent='ua-standby0'/>"));
    assert.deepEqual(
      validate(fixed, parse(fixed))
        .filter((x) => x.severity! <= DiagnosticSeverity.Warning)
        .map((x) => x.code),
      [],
    );
  });

  it('applies the edits in one step against the original text, without overlaps', () => {
    const d = doc(
      domain(
        standby('backup.0', undefined, "<model type='e1000e'/><teaming type='persistent'/>") +
          vf("<teaming type='transient' persistent='backup.0'/>", '52:54:00:6d:90:09'),
      ),
    );
    const r = fixAll(d, parse(d), {});
    assert.equal(r.summary.length, 3);
    const offsets = r.edits.map((e) => [d.offsetAt(e.range.start), d.offsetAt(e.range.end)]).sort((a, b) => a[0] - b[0]);
    for (let i = 1; i < offsets.length; i++) assert.ok(offsets[i][0] >= offsets[i - 1][1]);
    const fixed = doc(TextDocument.applyEdits(d, r.edits));
    assert.deepEqual(
      validate(fixed, parse(fixed))
        .filter((x) => x.severity === DiagnosticSeverity.Error)
        .map((x) => x.code),
      [],
    );
  });
});
