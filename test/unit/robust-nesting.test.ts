import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { rewrite } from '../../server/src/cli/rewrite';
import type { Io } from '../../server/src/cli/io';
import { decodeReferences } from '../../server/src/parser/parser';
import {
  destinationXml,
  fixAll,
  getCodeActions,
  getDocumentSymbols,
  getFoldingRanges,
  insertTeamingPairSnippet,
  profileTemplate,
  readiness,
  validate,
} from '../../server/src/service';
import { doc, domain, parsed } from '../helpers/docs';

/**
 * Issue 12, item 8: no tree walk of ours follows the call stack down a hostile document (6,000–9,000 unclosed
 * elements overflowed it in folding, code actions, the teaming snippet and the rewrite), and no name the user writes
 * is looked up in a plain object (a network named `constructor` found Object's constructor).
 */
const DEPTH = 10_000;
const HEAD = `<domain type='kvm'>\n<name>deep</name>\n`;
const DEEP: Record<string, string> = {
  'unclosed elements in <devices>': `${HEAD}<devices>\n` + '<a>\n<b>\n'.repeat(DEPTH / 2),
  'unclosed interfaces and sources': `${HEAD}<devices>\n` + "<interface type='network'>\n<source>\n".repeat(DEPTH / 2),
  'nested <features>': `${HEAD}<features>\n` + '<x>\n'.repeat(DEPTH) + '</x>'.repeat(DEPTH) + '\n</features>\n</domain>\n',
  'a backing chain as deep':
    `${HEAD}<devices>\n<disk type='file'>\n` +
    "<backingStore type='file'>\n".repeat(DEPTH) +
    '</backingStore>'.repeat(DEPTH) +
    '\n</disk>\n</devices>\n</domain>\n',
  'nested <metadata>': `${HEAD}<metadata>\n` + '<m>\n'.repeat(DEPTH) + '</m>'.repeat(DEPTH) + '\n</metadata>\n</domain>\n',
};

describe('deep nesting: every feature answers', () => {
  for (const [shape, text] of Object.entries(DEEP)) {
    it(shape, () => {
      const d = doc(text);
      const p = parsed(text);
      const diagnostics = validate(d, p);
      assert.ok(
        !diagnostics.some((x) => String(x.message).startsWith('internal error')),
        diagnostics.map((x) => x.message).join('\n'),
      );
      const actions = getCodeActions(d, p, diagnostics, {}, ['quickfix', 'source.fixAll']);
      assert.ok(Array.isArray(actions));
      assert.ok(Array.isArray(fixAll(d, p, {}).remaining));
      // every element spanning lines folds: thousands of ranges, not a stack overflow
      assert.ok(getFoldingRanges(d, p).length >= DEPTH / 2, 'folding ranges');
      assert.equal(getDocumentSymbols(d, p).length, 1);
      assert.match(insertTeamingPairSnippet(d, p, text.indexOf('\n'), {}), /<teaming type='transient'/);
      assert.equal(readiness(d, p, diagnostics).isDomain, true);
      const r = destinationXml(p, '{ "networks": { "default": "prod" }, "disks": { "/a/": "/b/" } }');
      assert.ok(r.problems.every((x) => !x.message.includes('Maximum call stack')));
      assert.ok(JSON.parse(profileTemplate(p, 'host-b')));
    });
  }

  it('folding keeps document order on a deep document', () => {
    const text = DEEP['unclosed interfaces and sources'];
    const lines = getFoldingRanges(doc(text), parsed(text)).map((r) => r.startLine);
    assert.deepEqual(
      lines,
      [...lines].sort((a, b) => a - b),
    );
  });
});

describe('a profile nested 200,000 levels', () => {
  const source = domain("    <interface type='network'><source network='default'/></interface>\n");
  const deep = '{"networks":'.repeat(100_000) + '{}' + '}'.repeat(100_000);

  it('is a profile syntax error, not a RangeError', () => {
    const arrays = '['.repeat(200_000) + ']'.repeat(200_000);
    for (const profile of [deep, arrays]) {
      const r = destinationXml(parsed(source), profile);
      assert.equal(r.ok, false);
      assert.equal(r.problems[0].code, 'profile-syntax');
      assert.match(r.problems[0].message, /nested deeper than 256 levels/);
    }
  });

  it('makes `migratable rewrite` exit 2 with one message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'migratable-deep-'));
    try {
      const profile = join(dir, 'p.json');
      writeFileSync(profile, deep);
      let out = '';
      let err = '';
      const io: Io = {
        stdout: (s) => {
          out += String(s);
        },
        stderr: (s) => {
          err += s;
        },
        readStdin: () => source,
        isTty: false,
      };
      assert.equal(await rewrite.run(['-', '--dest', profile], io), 2);
      assert.equal(out, '');
      assert.equal(err.split('\n').filter(Boolean).length, 1, err);
      assert.match(err, /p\.json:1:\d+: error profile-syntax: the profile is not valid JSON: nested deeper than 256 levels/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('names the user writes are never looked up in a plain object', () => {
  const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'];

  it('rewrite: networks, bridges and mdevs named like Object members are mapped like any name', () => {
    const devices = NAMES.map(
      (n) =>
        `    <interface type='network'><source network='${n}'/></interface>\n` +
        `    <interface type='bridge'><source bridge='${n}'/></interface>\n`,
    ).join('');
    const p = parsed(domain(devices));
    // no mapping for them: nothing rewritten, nothing thrown
    const unmapped = destinationXml(p, '{ "networks": { "default": "prod" }, "bridges": { "br0": "br1" }, "mdevs": {} }');
    assert.equal(unmapped.text, p.xml.text);
    // mapped, including __proto__ (which a plain object swallows)
    const map = `{ ${NAMES.map((n) => `"${n}": "${n}-dest"`).join(', ')} }`;
    const profile = `{ "networks": ${map}, "bridges": ${map} }`;
    const mapped = destinationXml(p, profile);
    assert.equal(mapped.ok, true, JSON.stringify(mapped.problems));
    for (const n of NAMES) {
      assert.ok(mapped.text.includes(`<source network='${n}-dest'/>`), n);
      assert.ok(mapped.text.includes(`<source bridge='${n}-dest'/>`), n);
    }
  });

  it('the parser reports &constructor; as an unknown entity and keeps it as written', () => {
    assert.equal(decodeReferences('a&constructor;b&toString;c&amp;'), 'a&constructor;b&toString;c&');
    const p = parsed(domain("    <interface type='network'><source network='n&constructor;'/></interface>\n"));
    assert.ok(p.xml.errors.some((e) => /entity '&constructor;' is not expanded/.test(e.message)));
    assert.equal(p.model!.interfaces[0].el.children.length, 1);
  });

  it('a device element named like an Object member gets a symbol kind like any other', () => {
    const text = domain('    <constructor/>\n    <toString/>\n');
    const symbols = getDocumentSymbols(doc(text), parsed(text));
    const devices = symbols[0].children!.find((s) => s.name === 'devices')!.children!;
    assert.deepEqual(
      devices.map((s) => typeof s.kind),
      ['number', 'number'],
    );
  });
});
