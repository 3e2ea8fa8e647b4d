import type { DomainModel } from '../model/domain';
import type { Style } from '../edits/style';
import type { OffsetEdit } from '../edits/textEdits';
import type { Parsed } from '../service/parsed';

/** User settings the fixes read (package.json `migratable.standbyNetwork`, `.standbyBridge`, `.vfPoolNetwork`). */
export interface FixSettings {
  /** The network of an added virtio standby (default 'default'). */
  standbyNetwork?: string;
  /** When set, an added standby is `<interface type='bridge'><source bridge=…/>` instead. */
  standbyBridge?: string;
  /** The hostdev-pool network (`<forward mode='hostdev'>`) offered instead of a host PCI address. */
  vfPoolNetwork?: string;
  /** Per-code severity overrides, as for validation: a rule set to 'off' is not fixed by fixAll. */
  rules?: Record<string, string>;
}

export const DEFAULT_FIX_SETTINGS = { standbyNetwork: 'default', vfPoolNetwork: 'sriov-pool' } as const;

export interface FixContext {
  text: string;
  parsed: Parsed;
  model: DomainModel;
  style: Style;
  settings: FixSettings;
  /** Uniform in [0, 1): injectable so tests get the same MACs every run. */
  random: () => number;
}

/** What a fix builder gets from a diagnostic: its code, its offsets in the text, and its payload. */
export interface Problem {
  code: string;
  start: number;
  end: number;
  data: Record<string, unknown>;
}

export interface Fix {
  title: string;
  edits: OffsetEdit[];
  /** Safe fixes have one obvious outcome: "Make Domain Migratable" applies them. */
  safe: boolean;
  /** One line for the summary of "Make Domain Migratable". */
  summary: string;
}

export type FixBuilder = (ctx: FixContext, problem: Problem) => Fix[];
