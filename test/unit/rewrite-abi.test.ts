import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkAbi } from '../../server/src/rewrite';
import { caseSource } from '../rewrite/cases';
import { MUTATIONS, replaceOnce } from '../rewrite/mutations';
import { xml } from '../helpers/docs';

const WEB = caseSource('interface-hostdev');

describe('checkAbi over hand-made destinations (libvirt judges the same ones in test/libvirt)', () => {
  for (const m of MUTATIONS) {
    it(`${m.name}: ${m.code ?? 'compatible'}`, () => {
      const problems = checkAbi(xml(caseSource(m.base)), xml(m.dest()));
      if (m.code === undefined) assert.deepEqual(problems, []);
      else assert.equal(problems[0]?.code, m.code, JSON.stringify(problems));
    });
  }
});

describe('checkAbi', () => {
  it('finds nothing between a domain and itself, reformatted', () => {
    const reformatted = WEB.replace(/'/g, '"')
      .replace(/\n\s*/g, '\n')
      .replace(/<!--[\s\S]*?-->/, '')
      .replace(
        `<address type="pci" domain="0x0000" bus="0x01" slot="0x00" function="0x0"/>`,
        `<address function="0" slot="0" bus="1" domain="0" type="pci"/>`,
      );
    assert.notEqual(reformatted, WEB);
    assert.deepEqual(checkAbi(xml(WEB), xml(reformatted)), []);
  });

  it('points at the differing element in both documents', () => {
    const dest = replaceOnce(WEB, `<model type='virtio'/>`, `<model type='e1000e'/>`);
    const [p] = checkAbi(xml(WEB), xml(dest));
    assert.equal(p.message, 'Target network card model e1000e does not match source virtio');
    assert.match(WEB.slice(p.source!.start, p.source!.end), /^<interface type='network'>$/);
    assert.match(dest.slice(p.dest!.start, p.dest!.end), /^<interface type='network'>$/);
  });

  it('says when interfaces are only listed in another order', () => {
    const src = caseSource('two-pairs');
    const swapped = MUTATIONS.find((m) => m.name === 'two interfaces swapped')!.dest();
    const problems = checkAbi(xml(src), xml(swapped));
    assert.equal(
      problems[0].message,
      'Target network card mac 52:54:00:aa:00:02 does not match source 52:54:00:aa:00:01 (the destination lists the interfaces in another order: libvirt compares devices by position)',
    );
    assert.equal(problems.filter((p) => p.code === 'abi-mac').length, 2);
  });

  it('reports each difference, where libvirt stops at the first', () => {
    const dest = replaceOnce(replaceOnce(WEB, `machine='q35'`, `machine='pc'`), `dev='vda'`, `dev='vdz'`);
    assert.deepEqual(
      checkAbi(xml(WEB), xml(dest)).map((p) => p.message),
      ['Target domain machine type pc does not match source q35', 'Target disk vdz does not match source vda'],
    );
  });

  it('counts <interface type="hostdev"> VFs among host devices, as libvirt does', () => {
    const dest = WEB.replace(/<interface type='hostdev' managed='yes'>[\s\S]*?<\/interface>/, (vf) =>
      vf
        .replace(`<interface type='hostdev' managed='yes'>`, `<interface type='network'>`)
        .replace(/<source>[\s\S]*?<\/source>/, `<source network='pool'/>`),
    );
    assert.deepEqual(
      checkAbi(xml(WEB), xml(dest)).map((p) => p.message),
      ['Target domain host device count 0 does not match source 1'],
    );
  });

  it('compares vCPU states given as <vcpus>', () => {
    const src = WEB.replace(
      `<vcpu placement='static'>2</vcpu>`,
      `<vcpu placement='static'>2</vcpu>\n  <vcpus>\n    <vcpu id='0' enabled='yes' hotpluggable='no' order='1'/>\n    <vcpu id='1' enabled='yes' hotpluggable='yes' order='2'/>\n  </vcpus>`,
    );
    assert.deepEqual(checkAbi(xml(src), xml(src)), []);
    assert.deepEqual(
      checkAbi(xml(src), xml(src.replace(`order='2'`, `order='3'`))).map((p) => p.message),
      [`vcpu enable order of vCPU '1' differs between source and destination definitions`],
    );
    assert.deepEqual(
      checkAbi(xml(src), xml(src.replace(`id='1' enabled='yes'`, `id='1' enabled='no'`))).map((p) => p.code),
      ['abi-vcpu'],
    );
  });

  it('compares the memory backing source (the QEMU driver does) and NUMA cells', () => {
    const src = caseSource('pinning');
    assert.deepEqual(checkAbi(xml(src), xml(src.replace(`cpus='0-1'`, `cpus='0,1'`))), []);
    assert.deepEqual(
      checkAbi(xml(src), xml(src.replace(`cpus='0-1'`, `cpus='0'`))).map((p) => p.message),
      [`Processor mask of target NUMA node 0 doesn't match source`],
    );
    const backed = WEB.replace('<vcpu', `<memoryBacking>\n    <source type='memfd'/>\n  </memoryBacking>\n  <vcpu`);
    assert.deepEqual(
      checkAbi(xml(backed), xml(WEB)).map((p) => p.code),
      ['abi-memory'],
    );
  });

  it('does not compare what may change: currentMemory, graphics, pinning, sources', () => {
    const c = caseSource('pinning');
    const dest = caseSource('pinning')
      .replace(/cpuset='[^']*'/g, `cpuset='9'`)
      .replace(/nodeset='0'/g, `nodeset='1'`)
      .replace(/host='127\.0\.0\.1'/g, `host='::'`);
    assert.notEqual(dest, c);
    assert.deepEqual(checkAbi(xml(c), xml(dest)), []);
    // not a libvirt-judged mutation: scripts/libvirt-abi-check.sh compares through snapshot redefinition, which also
    // compares currentMemory; real migration (virsh migrate --xml) does not, and the rewrite never changes it anyway
    assert.deepEqual(
      checkAbi(xml(WEB), xml(WEB.replace(`<currentMemory unit='KiB'>2097152`, `<currentMemory unit='KiB'>1048576`))),
      [],
    );
  });

  it('refuses to compare what is not a domain', () => {
    assert.deepEqual(
      checkAbi(xml(WEB), xml('<network/>')).map((p) => p.message),
      ['the destination is not a libvirt domain (no <domain> root element)'],
    );
  });
});
