/** The extension's settings (package.json `contributes.configuration`): one definition, one set of defaults. */

export const CONFIG_SECTION = 'migratable';

export interface MigratableSettings {
  enable: boolean;
  /** Per-code severity override: 'error' | 'warning' | 'information' | 'hint' | 'off'. */
  rules: Record<string, string>;
  /** The network of a virtio standby that a quick fix adds. */
  standbyNetwork: string;
  /** When not empty, an added standby is a bridge interface on this bridge instead. */
  standbyBridge: string;
  /** The hostdev-pool network offered instead of a host PCI address. */
  vfPoolNetwork: string;
  /** A name from `migratable.hosts`: files of this workspace are judged for that host's facts. */
  targetHost: string;
}

/** The defaults; package.json declares the same (the manifest test compares them). */
export const DEFAULT_SETTINGS: MigratableSettings = {
  enable: true,
  rules: {},
  standbyNetwork: 'default',
  standbyBridge: '',
  vfPoolNetwork: 'sriov-pool',
  targetHost: '',
};

/** What the quick fixes read: the settings that shape inserted XML, and the severities (a rule set to 'off' is not fixed). */
export type FixSettings = Partial<Pick<MigratableSettings, 'standbyNetwork' | 'standbyBridge' | 'vfPoolNetwork' | 'rules'>>;
