import type { Style } from '../edits/style';
import type { OffsetEdit } from '../edits/textEdits';
import type { DomainModel } from '../model/domain';
import type { Parsed } from '../model/parsed';
import type { HostContext } from '../host/context';
import type { FixSettings as SettingsOfFixes } from '../protocol/settings';
import type { FreshNames } from './names';

/** The settings the fixes read, and the host the document is judged for (its verdicts decide what is safe). */
export type FixSettings = SettingsOfFixes & { host?: HostContext };

export interface FixContext {
  text: string;
  parsed: Parsed;
  model: DomainModel;
  style: Style;
  settings: FixSettings;
  /** Uniform in [0, 1): injectable so tests get the same MACs every run. */
  random: () => number;
  /** New aliases and MACs: taken from here, so fixes applied together never pick the same one. */
  names: FreshNames;
}

/** What a fix builder gets from a diagnostic: its code, its offsets in the text, and its payload. */
export interface Problem {
  code: string;
  start: number;
  end: number;
  data: Record<string, unknown>;
  /** Offsets of the places the diagnostic relates (the partner, the other MAC): what its fix may depend on. */
  related?: number[];
}

export interface Fix {
  title: string;
  edits: OffsetEdit[];
  /** Safe fixes have one obvious outcome: "Make Domain Migratable" applies them. */
  safe: boolean;
  /** Offered first in the lightbulb (default: the first safe fix of a diagnostic). */
  preferred?: boolean;
  /** One line for the summary of "Make Domain Migratable". */
  summary: string;
}

/** The quick fixes of one diagnostic code: one file per code, named after it (fixes/CODE.ts). */
export type FixBuilder = (ctx: FixContext, problem: Problem) => Fix[];
