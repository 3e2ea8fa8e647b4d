import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { checkAbi, destinationXml, rewriteDomain, type DestinationResult } from '../../server/src/rewrite';
import { caseSource, rewriteCases } from '../rewrite/cases';
import { parsed, xml } from '../helpers/docs';

const cases = rewriteCases();
const summary = (r: DestinationResult) => r.problems.map((p) => `${p.severity} ${p.code}`);

describe('destination rewrite cases (test/rewrite/*)', () => {
  it('covers the cases the issue names', () => {
    assert.deepEqual(cases.map((c) => c.name).sort(), [
      'disks',
      'graphics',
      'hex-spellings',
      'interface-hostdev',
      'pinning',
      'plain-hostdev',
      'two-pairs',
      'typo',
      'vf-pool',
    ]);
  });

  for (const c of cases) {
    describe(c.name, () => {
      const r = destinationXml(parsed(c.source), c.profile);

      it('gives the expected destination XML, byte for byte', () => {
        assert.equal(r.text, c.expected);
      });

      it('reports exactly the expected problems', () => {
        assert.deepEqual(summary(r), c.problems);
        assert.equal(r.ok, !c.problems.some((p) => p.startsWith('error')));
      });

      it('its edits turn the source into the destination, each inside a reported change', () => {
        const doc = TextDocument.create('file:///s.xml', 'xml', 1, c.source);
        assert.equal(TextDocument.applyEdits(doc, r.edits), r.text);
        for (const e of r.edits) {
          const [start, end] = [doc.offsetAt(e.range.start), doc.offsetAt(e.range.end)];
          assert.ok(
            r.changes.some((ch) => ch.start <= start && end <= ch.end),
            `edit at ${start} is in no change`,
          );
        }
        assert.equal(r.changes.length > 0, r.text !== c.source);
        for (const ch of r.changes) assert.notEqual(ch.before, ch.after, ch.what);
      });

      it('passes our ABI self-check', () => {
        assert.deepEqual(r.abi, []);
        assert.deepEqual(checkAbi(xml(c.source), xml(r.text)), []);
      });

      if (c.inverse !== undefined) {
        it('the inverse profile gives back the original bytes', () => {
          const back = destinationXml(parsed(r.text), c.inverse!);
          assert.equal(back.text, c.source);
          assert.deepEqual(
            back.problems.filter((p) => p.severity !== 'information'),
            [],
          );
        });
      }
    });
  }
});

const WEB = caseSource('interface-hostdev');
const PAIRS = caseSource('two-pairs');

describe('rewriteDomain', () => {
  it('takes a profile object as well as profile text', () => {
    const r = rewriteDomain(parsed(WEB), { hostdevs: { '0000:3b:02.0': '0000:5e:10.2' } });
    assert.match(r.text, /<address type='pci' domain='0x0000' bus='0x5e' slot='0x10' function='0x2'\/>/);
    assert.deepEqual(r.problems, []);
    assert.equal(r.changes.length, 1);
    assert.equal(r.changes[0].before, '0000:3b:02.0');
    assert.equal(r.changes[0].after, '0000:5e:10.2');
    assert.match(r.changes[0].what, /'ua-vf0' \(the VF teamed with 'ua-backup0'\)/);
  });

  it('never touches a MAC, even one the two interfaces of a pair share', () => {
    const r = rewriteDomain(parsed(WEB), { hostdevs: { '0000:3b:02.0': '0000:5e:10.2' }, networks: { default: 'prod-net' } });
    assert.equal(r.text.match(/<mac address='52:54:00:6d:90:02'\/>/g)?.length, 2);
  });

  it('reports a VF without a destination address as incomplete, at its source address', () => {
    const r = rewriteDomain(parsed(PAIRS), { hostdevs: { '0000:3b:02.0': '0000:5e:00.1' } });
    const p = r.problems.filter((x) => x.code === 'rewrite-hostdev-unmapped');
    assert.equal(p.length, 1);
    assert.equal(p[0].severity, 'error');
    assert.equal(PAIRS.slice(p[0].start, p[0].end), `<address domain='0x0000' bus='0x3b' slot='0x02' function='0x1'/>`);
    assert.match(p[0].message, /0000:3b:02\.1/);
  });

  it('refuses two devices mapped to one destination VF, pointing at the second mapping in the profile', () => {
    const profile = `{ "hostdevs": { "0000:3b:02.0": "0000:5e:10.2", "0000:3b:02.1": "0000:5e:10.2" } }`;
    const r = destinationXml(parsed(PAIRS), profile);
    const p = r.problems.filter((x) => x.code === 'rewrite-vf-conflict');
    assert.equal(p.length, 1);
    assert.equal(r.ok, false);
    assert.equal(profile.slice(p[0].profileSpan!.start, p[0].profileSpan!.end), '"0000:5e:10.2"');
    assert.equal(p[0].profileSpan!.start, profile.lastIndexOf('"0000:5e:10.2"'));
    assert.match(p[0].message, /0000:5e:10\.2/);
  });

  it('refuses a mapping onto the address an unmapped device keeps', () => {
    const r = rewriteDomain(parsed(PAIRS), { hostdevs: { '0000:3b:02.0': '0000:3b:02.1' } });
    assert.deepEqual(r.problems.map((p) => p.code).sort(), ['rewrite-hostdev-unmapped', 'rewrite-vf-conflict']);
  });

  it('adds a PCI attribute the source leaves out when the destination needs it', () => {
    const src = caseSource('hex-spellings');
    const r = rewriteDomain(parsed(src), { hostdevs: { '0000:3b:02.0': '0000:3b:02.0', '0000:3b:02.1': '0001:3b:02.1' } });
    assert.match(r.text, /<address type='pci' bus='0x3b' slot='0x02' function='1' domain='0x0001'\/>/);
    assert.deepEqual(r.problems, []);
  });

  it('keeps CRLF line ends, double quotes and comments', () => {
    const crlf = caseSource('plain-hostdev').replace(/\n/g, '\r\n');
    const c = cases.find((x) => x.name === 'plain-hostdev')!;
    const r = destinationXml(parsed(crlf), c.profile);
    assert.equal(r.text, c.expected.replace(/\n/g, '\r\n'));
  });

  it('escapes what it writes into an attribute', () => {
    const src = WEB.replace('/var/lib/libvirt/images/web1.qcow2', '/var/lib/libvirt/images/a&amp;b.qcow2');
    const r = rewriteDomain(parsed(src), { disks: { '/var/lib/libvirt/images/': `/srv/it's/` } });
    assert.match(r.text, /<source file='\/srv\/it&apos;s\/a&amp;b\.qcow2'\/>/);
  });

  it('matches a disk prefix without a trailing slash on whole path components only', () => {
    const src = WEB.replace('/var/lib/libvirt/images/web1.qcow2', '/var/lib/libvirt/images2/web1.qcow2');
    const r = rewriteDomain(parsed(src), {
      hostdevs: { '0000:3b:02.0': '0000:3b:02.0' },
      disks: { '/var/lib/libvirt/images': '/srv/images' },
    });
    assert.equal(r.text, src);
    assert.deepEqual(
      r.problems.map((p) => p.code),
      ['rewrite-mapping-unused'],
    );
  });

  it('leaves a USB hostdev and an unmapped mdev alone', () => {
    const r = rewriteDomain(parsed(caseSource('pinning')), { hostdevs: { '0000:3b:02.0': '0000:d8:00.4' } });
    assert.match(r.text, /uuid='c2177883-f1bb-47f0-914d-32a22e3a8804'/);
    assert.deepEqual(r.problems, []);
  });

  it('says that a VF pool network needs no host address, even when the pool is renamed', () => {
    const r = rewriteDomain(parsed(caseSource('vf-pool')), { networks: { 'sriov-pool': 'vf-pool-b' } });
    assert.match(r.text, /<source network='vf-pool-b'\/>/);
    const [info] = r.problems;
    assert.equal(info.code, 'rewrite-vf-pool');
    assert.equal(info.severity, 'information');
    assert.match(info.message, /nothing host-specific needs rewriting/);
    assert.match(info.message, /'vf-pool-b'/);
  });

  it('reports a document that is not a domain and leaves it unchanged', () => {
    const r = rewriteDomain(parsed('<network><name>x</name></network>'), { networks: { x: 'y' } });
    assert.equal(r.text, '<network><name>x</name></network>');
    assert.deepEqual(
      r.problems.map((p) => p.code),
      ['rewrite-not-domain'],
    );
  });

  it('warns that a domain with syntax errors cannot be trusted', () => {
    const r = rewriteDomain(parsed(WEB.replace('</features>', '</feature>')), {});
    assert.equal(r.problems[0].code, 'rewrite-xml-syntax');
    assert.equal(r.problems[0].severity, 'error');
  });

  it('reports every kind of unused setting at its key in the profile', () => {
    const profile = JSON.stringify(
      {
        hostdevs: { '0000:3b:02.0': '0000:3b:02.0' },
        bridges: { br9: 'x' },
        chardevs: { '1.2.3.4:1': '5.6.7.8:2' },
        mdevs: { '00000000-0000-0000-0000-000000000001': '00000000-0000-0000-0000-000000000002' },
        vcpuCpuset: '1',
        cputune: { vcpupin: { 7: '1' }, emulatorpin: '1', iothreadpin: { 3: '1' } },
        numatune: { memory: '1', memnode: { 2: '1' } },
      },
      null,
      1,
    );
    const r = destinationXml(parsed(WEB), profile);
    const unused = r.problems.filter((p) => p.code === 'rewrite-mapping-unused');
    const keys = unused.map((p) => profile.slice(p.profileSpan!.start, p.profileSpan!.end));
    assert.deepEqual(
      keys.sort(),
      [
        '"br9"',
        '"1.2.3.4:1"',
        '"00000000-0000-0000-0000-000000000001"',
        '"vcpuCpuset"',
        '"7"',
        '"emulatorpin"',
        '"3"',
        '"memory"',
        '"2"',
      ].sort(),
    );
    assert.equal(r.ok, true);
  });

  it('gives no profile and the source unchanged when the profile is not JSON', () => {
    const r = destinationXml(parsed(WEB), '{ "hostdevs": { "0000:3b:02.0": "0000:5e:10.2", } }');
    assert.equal(r.profile, undefined);
    assert.equal(r.text, WEB);
    assert.equal(r.ok, false);
    assert.deepEqual(summary(r), ['error profile-syntax']);
  });
});
