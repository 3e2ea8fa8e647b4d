import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { formatPci, parsePciText } from '../../server/src/model/pci';
import { parseProfile, PROFILE_KEYS, type ProfileProblem } from '../../server/src/rewrite';
import { ROOT } from '../helpers/paths';
import { rewriteCases } from '../rewrite/cases';

const at = (text: string, p: ProfileProblem) => text.slice(p.start, p.end);
const codes = (text: string) => parseProfile(text).problems.map((p) => `${p.severity} ${p.code}`);

describe('PCI addresses in a profile', () => {
  const same = [
    '0000:3b:02.0',
    '3b:02.0',
    '3B:02.0',
    '0x3b:0x02.0x0',
    '0x0000:0x3B:0x02.0x0',
    '0:3b:2.0',
    '00:003b:0002.0',
    'pci_0000_3b_02_0',
    '0X3b:0X2.0',
  ];
  for (const s of same) {
    it(`reads '${s}' as 0000:3b:02.0`, () => assert.equal(formatPci(parsePciText(s)!), '0000:3b:02.0'));
  }
  const wrong = [
    '',
    '3b:02',
    '3b:20.0',
    '3b:02.8',
    '100:02.0',
    '10000:3b:02.0',
    '3b-02-0',
    ' 3b:02.0',
    'DDDD:BB:SS.F',
    '0000:3b:02.0.1',
    'pci_0000_3b_20_0',
    'g3:02.0',
  ];
  for (const s of wrong) {
    it(`rejects '${s}'`, () => assert.equal(parsePciText(s), undefined));
  }
});

describe('parseProfile', () => {
  it('reads the issue example, normalising PCI addresses', () => {
    const text = readFileSync(resolve(ROOT, 'test', 'rewrite', 'hex-spellings', 'profile.json'), 'utf8');
    const { profile, problems } = parseProfile(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(profile!.hostdevs, { '0000:3b:02.0': '0000:5e:10.2', '0000:3b:02.1': '0000:5e:10.3' });
    assert.equal(profile!.name, 'host-b');
    assert.equal(profile!.uri, 'qemu+ssh://host-b/system');
  });

  it('records where each setting is written, by JSON pointer of its normalised key', () => {
    const text =
      '{\n  "hostdevs": { "3B:02.0": "5e:10.2" },\n  "disks": { "/var/a/": "/srv/a/" },\n  "graphicsListen": "0.0.0.0"\n}';
    const { profile } = parseProfile(text);
    const loc = profile!.locations!;
    assert.equal(text.slice(loc['/hostdevs/0000:3b:02.0'].key.start, loc['/hostdevs/0000:3b:02.0'].key.end), '"3B:02.0"');
    assert.equal(text.slice(loc['/hostdevs/0000:3b:02.0'].value.start, loc['/hostdevs/0000:3b:02.0'].value.end), '"5e:10.2"');
    assert.equal(text.slice(loc['/disks/~1var~1a~1'].key.start, loc['/disks/~1var~1a~1'].key.end), '"/var/a/"');
    assert.equal(text.slice(loc['/graphicsListen'].value.start, loc['/graphicsListen'].value.end), '"0.0.0.0"');
  });

  it('reports a bad PCI address at its key or value', () => {
    const text = '{ "hostdevs": { "3b:20.0": "0000:5e:10.2", "0000:3b:02.1": "5e:10" } }';
    const [k, v] = parseProfile(text).problems;
    assert.equal(at(text, k), '"3b:20.0"');
    assert.match(k.message, /'3b:20\.0' is not a PCI address/);
    assert.equal(at(text, v), '"5e:10"');
    assert.equal(v.severity, 'error');
  });

  it("asks to fill in the template's placeholder", () => {
    const text = '{ "hostdevs": { "0000:3b:02.0": "DDDD:BB:SS.F" } }';
    const [p] = parseProfile(text).problems;
    assert.equal(at(text, p), '"DDDD:BB:SS.F"');
    assert.match(p.message, /fill in the destination PCI address/);
  });

  it('reports two spellings of one source address', () => {
    const text = '{ "hostdevs": { "0000:3b:02.0": "0000:5e:10.2", "3B:2.0": "0000:5e:10.3" } }';
    const [p] = parseProfile(text).problems;
    assert.equal(p.code, 'profile-duplicate');
    assert.equal(at(text, p), '"3B:2.0"');
  });

  it('suggests the setting an unknown key was meant to be', () => {
    const text = '{ "hostdev": {}, "cputune": { "vcpupins": {} }, "colour": 1 }';
    const problems = parseProfile(text).problems;
    assert.deepEqual(
      problems.map((p) => p.message),
      [
        'unknown setting "hostdev": did you mean "hostdevs"?',
        'unknown setting "cputune.vcpupins": did you mean "cputune.vcpupin"?',
        'unknown setting "colour" (known: name, uri, hostdevs, networks, bridges, disks, graphicsListen, chardevs, vcpuCpuset, cputune, numatune, mdevs)',
      ],
    );
    assert.deepEqual(
      problems.map((p) => at(text, p)),
      ['"hostdev"', '"vcpupins"', '"colour"'],
    );
    assert.ok(problems.every((p) => p.severity === 'warning'));
  });

  it('reports values of the wrong type', () => {
    const text = '{ "name": 7, "networks": ["default"], "bridges": { "br0": null } }';
    const problems = parseProfile(text).problems;
    assert.deepEqual(
      problems.map((p) => `${p.code} ${at(text, p)}`),
      ['profile-type 7', 'profile-type ["default"]', 'profile-type null'],
    );
  });

  it('reports JSON syntax errors where they are, and gives no profile', () => {
    const text = '{ "name": "host-b",\n  "uri": "qemu:///system", }';
    const { profile, problems } = parseProfile(text);
    assert.equal(profile, undefined);
    assert.equal(problems[0].code, 'profile-syntax');
    assert.equal(problems[0].start, text.lastIndexOf(','));
    assert.equal(codes('[1, 2]')[0], 'error profile-type');
    assert.equal(codes('')[0], 'error profile-syntax');
    assert.equal(codes('{"a": "unterminated}')[0], 'error profile-syntax');
  });

  it('checks cpusets, nodesets, ids, UUIDs and HOST:SERVICE', () => {
    const text = JSON.stringify({
      vcpuCpuset: '0-3,^2,8',
      cputune: { vcpupin: { 0: '1-', x: '2' }, emulatorpin: '0,1' },
      numatune: { memory: 'all' },
      mdevs: {
        'C2177883-F1BB-47F0-914D-32A22E3A8804': '5d7f3b90-0e5c-4f1e-9a57-0b9c3e2d1a66',
        'not-a-uuid': '5d7f3b90-0e5c-4f1e-9a57-0b9c3e2d1a66',
      },
      chardevs: { '[::1]:4555': '10.0.0.2:4555', '127.0.0.1': 'x:1' },
    });
    const { profile, problems } = parseProfile(text);
    assert.deepEqual(
      problems.map((p) => at(text, p)),
      ['"1-"', '"x"', '"all"', '"not-a-uuid"', '"127.0.0.1"'],
    );
    assert.equal(profile!.vcpuCpuset, '0-3,^2,8');
    assert.equal(profile!.cputune!.emulatorpin, '0,1');
    assert.deepEqual(profile!.mdevs, { 'c2177883-f1bb-47f0-914d-32a22e3a8804': '5d7f3b90-0e5c-4f1e-9a57-0b9c3e2d1a66' });
    assert.deepEqual(profile!.chardevs, { '[::1]:4555': '10.0.0.2:4555' });
  });

  it('warns when disk prefixes differ in their trailing slash, and about an odd URI', () => {
    const text = '{ "uri": "host-b", "disks": { "/var/lib/libvirt/images/": "/srv/images" } }';
    assert.deepEqual(codes(text), ['warning profile-uri', 'warning profile-disk-prefix']);
  });
});

/**
 * The JSON Schema is what VS Code validates profiles with; parseProfile is what the rewrite uses. They must
 * accept the same files. This validator covers exactly the keywords the schema uses, and fails on any other.
 */
type Schema = Record<string, unknown>;
const KEYWORDS = new Set([
  '$schema',
  '$id',
  'title',
  'description',
  'type',
  'properties',
  'additionalProperties',
  'propertyNames',
  'pattern',
  'examples',
  // VS Code's own messages (no effect on what is valid), and the placeholder's `not const` (issue #10 item 5)
  'patternErrorMessage',
  'errorMessage',
  'allOf',
  'not',
  'const',
]);

function schemaErrors(schema: Schema, value: unknown, where = ''): string[] {
  for (const k of Object.keys(schema))
    if (!KEYWORDS.has(k)) throw new Error(`the test's validator does not know '${k}' (${where})`);
  const errors: string[] = [];
  for (const sub of (schema.allOf ?? []) as Schema[]) errors.push(...schemaErrors(sub, value, where));
  if (schema.not && schemaErrors(schema.not as Schema, value, where).length === 0) errors.push(`${where}: matches a 'not'`);
  if ('const' in schema && value !== schema.const) return [...errors, `${where}: not ${JSON.stringify(schema.const)}`];
  if (schema.type === 'object') {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${where}: not an object`];
    const props = (schema.properties ?? {}) as Record<string, Schema>;
    for (const [k, v] of Object.entries(value)) {
      if (schema.propertyNames)
        errors.push(...schemaErrors({ type: 'string', ...(schema.propertyNames as Schema) }, k, `${where}/${k} (name)`));
      if (props[k]) errors.push(...schemaErrors(props[k], v, `${where}/${k}`));
      else if (schema.additionalProperties === false) errors.push(`${where}/${k}: not allowed`);
      else if (typeof schema.additionalProperties === 'object')
        errors.push(...schemaErrors(schema.additionalProperties as Schema, v, `${where}/${k}`));
    }
  } else if (schema.type === 'string') {
    if (typeof value !== 'string') return [`${where}: not a string`];
    if (schema.pattern && !new RegExp(schema.pattern as string, 'u').test(value))
      errors.push(`${where}: does not match ${schema.pattern}`);
  } else if (schema.type !== undefined) {
    throw new Error(`the test's validator does not know type ${String(schema.type)}`);
  }
  return errors;
}

describe('schemas/destination-profile.schema.json', () => {
  const schema = JSON.parse(readFileSync(resolve(ROOT, 'schemas', 'destination-profile.schema.json'), 'utf8')) as Schema;
  const props = schema.properties as Record<string, Schema>;

  it('documents exactly the settings parseProfile reads', () => {
    assert.deepEqual(Object.keys(props), [...PROFILE_KEYS]);
    assert.deepEqual(Object.keys(props.cputune.properties as Schema), ['vcpupin', 'emulatorpin', 'iothreadpin']);
    assert.deepEqual(Object.keys(props.numatune.properties as Schema), ['memory', 'memnode']);
    for (const [k, p] of Object.entries(props))
      assert.ok(typeof p.description === 'string' && p.description.length > 10, `${k} has no description`);
  });

  it('has the keys the issue names, exactly so spelled', () => {
    for (const k of ['name', 'uri', 'hostdevs', 'networks', 'bridges', 'disks', 'graphicsListen']) assert.ok(k in props, k);
  });

  const pciPattern = new RegExp((props.hostdevs.propertyNames as Schema).pattern as string, 'u');
  const spellings = [
    '0000:3b:02.0',
    '3b:02.0',
    '3B:2.0',
    '0x3b:0x02.0x0',
    '0x0000:0x3B:0x1f.0x7',
    '0:ff:1f.7',
    '003b:02.0',
    '0000:3b:001f.7',
    '000:3b:0001f.0',
    'pci_0000_3b_02_0',
    'pci_0000_3b_1f_7',
    'pci_0000_3b_20_0',
    '3b:20.0',
    '3b:1g.0',
    '3b:02.8',
    '100:02.0',
    '0x100:02.0',
    '10000:3b:02.0',
    'DDDD:BB:SS.F',
    ' 3b:02.0',
    '3b:02',
    '0x:3b:02.0',
    '0x3b:0x0002.0x0000',
    '0x3b:0x00002.0',
  ];
  for (const s of spellings) {
    it(`agrees with parsePciText on '${s}'`, () => assert.equal(pciPattern.test(s), parsePciText(s) !== undefined));
  }

  for (const c of rewriteCases()) {
    for (const [file, text] of [
      ['profile.json', c.profile],
      ['inverse.json', c.inverse],
    ] as const) {
      if (text === undefined) continue;
      it(`judges ${c.name}/${file} as parseProfile does`, () => {
        const errors = schemaErrors(schema, JSON.parse(text));
        const problems = parseProfile(text).problems;
        assert.equal(
          errors.length === 0,
          problems.length === 0,
          `schema: ${errors.join('; ')}\nparseProfile: ${problems.map((p) => p.message).join('; ')}`,
        );
      });
    }
  }

  const bad: [string, unknown][] = [
    ['a bad PCI key', { hostdevs: { '3b:20.0': '0000:5e:10.2' } }],
    ['the placeholder', { hostdevs: { '0000:3b:02.0': 'DDDD:BB:SS.F' } }],
    ['an unknown key', { hostdev: {} }],
    ['an unknown cputune key', { cputune: { vcpupins: {} } }],
    ['a bad cpuset', { cputune: { vcpupin: { 0: '1-' } } }],
    ['a bad vCPU id', { cputune: { vcpupin: { x: '1' } } }],
    ['a bad nodeset', { numatune: { memory: 'all' } }],
    ['a bad mdev UUID', { mdevs: { x: '5d7f3b90-0e5c-4f1e-9a57-0b9c3e2d1a66' } }],
    ['a bad HOST:SERVICE', { chardevs: { '127.0.0.1': '10.0.0.1:1' } }],
    ['a relative disk path', { disks: { 'images/': '/srv/' } }],
    ['an empty network', { networks: { default: '' } }],
    ['a number as name', { name: 3 }],
  ];
  for (const [what, value] of bad) {
    it(`and parseProfile both refuse ${what}`, () => {
      assert.notDeepEqual(schemaErrors(schema, value), []);
      assert.notDeepEqual(parseProfile(JSON.stringify(value)).problems, []);
    });
  }
});
