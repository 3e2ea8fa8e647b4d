import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hostPciAddress } from '../../server/src/model/pci';
import { diagnose } from '../helpers/diagnose';
import { parsed } from '../helpers/docs';

const domain = (devices: string) =>
  `<domain type='kvm'><name>m</name><os><type arch='x86_64' machine='q35'>hvm</type></os><devices>\n${devices}\n</devices></domain>`;
const model = (text: string) => parsed(text).model!;

describe('domain model helpers', () => {
  it('a dropped alias is renamed to a name no persistent= already uses (that would pair a dangling VF with it)', () => {
    const text =
      domain(`<interface type='network'><mac address='52:54:00:00:00:01'/><model type='virtio'/><teaming type='persistent'/><alias name='backup1'/></interface>
<interface type='hostdev'><mac address='52:54:00:00:00:02'/><source><address type='pci' bus='0x3b' slot='0x02' function='0x0'/></source><teaming type='transient' persistent='ua-backup1'/></interface>`);
    const dropped = diagnose(text).find((d) => d.code === 'alias-dropped')!;
    const suggestion = (dropped.data as { suggestion: string }).suggestion;
    assert.match(suggestion, /^ua-backup1-\d+$/, suggestion);
  });

  it('hostPciAddress reads numbers as libvirt does (leading 0 is octal) and only for PCI passthrough devices', () => {
    const m = model(
      domain(`<hostdev mode='subsystem' type='pci'><source><address domain='0' bus='010' slot='0x1f' function='3'/></source></hostdev>
<hostdev mode='capabilities' type='pci'><source><address bus='0x3b' slot='0x02' function='0x0'/></source></hostdev>
<interface type='hostdev'><source><address type='pci' bus='0x3b' slot='0x02' function='0x1'/></source></interface>
<interface type='network'><source network='default'/></interface>`),
    );
    assert.deepEqual(m.devices.map(hostPciAddress), ['0000:08:1f.3', undefined, '0000:3b:02.1', undefined]);
  });

  it('teaming-not-pcie finds a slot shared with another device whatever the spelling (0x10 = 16 = 020)', () => {
    const vf = `<interface type='hostdev'><mac address='52:54:00:00:00:03'/><source><address type='pci' bus='0x3b' slot='0x02' function='0x0'/></source><teaming type='transient' persistent='ua-s'/><address type='pci' domain='0x0000' bus='0x10' slot='0x00' function='0x0'/></interface>`;
    const standby = `<interface type='network'><mac address='52:54:00:00:00:03'/><model type='virtio'/><teaming type='persistent'/><alias name='ua-s'/></interface>`;
    const other = (bus: string) =>
      `<controller type='usb'><address type='pci' domain='0x0000' bus='${bus}' slot='0x00' function='0x1'/></controller>`;
    for (const bus of ['0x10', '16', '020']) {
      assert.ok(
        diagnose(domain(standby + vf + other(bus))).some((d) => d.code === 'teaming-not-pcie'),
        `bus='${bus}'`,
      );
    }
    assert.ok(
      !diagnose(domain(standby + vf + other('10'))).some((d) => d.code === 'teaming-not-pcie'),
      "bus='10' is decimal 10, not 0x10",
    );
  });
});
