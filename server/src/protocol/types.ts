import type { Range, TextEdit } from 'vscode-languageserver-types';

/** What crosses the connection between the client and the server: plain JSON, typed once for both ends. */

export interface UriParams {
  uri: string;
}

export interface PositionParams extends UriParams {
  position: { line: number; character: number };
}

export interface ProfileTemplateParams extends UriParams {
  /** The destination host's name (the profile's "name"). */
  name: string;
}

export interface FixAllResponse {
  /** The document version the edits apply to. */
  version: number;
  edits: TextEdit[];
  summary: string[];
  remaining: string[];
}

export interface RewriteParams extends UriParams {
  /** The destination profile's JSON text (the client reads the file; the server does no I/O). */
  profileText: string;
}

export interface RewriteProblemWire {
  code: string;
  message: string;
  severity: 'error' | 'warning' | 'information';
  /** Where in the source domain, when the problem is about a place there. */
  range?: Range;
  /** Offsets into the profile text, when the problem is about the profile. */
  profileSpan?: { start: number; end: number };
}

export interface RewriteResponse {
  /** The destination XML; the source text when the profile could not be read. */
  text: string;
  problems: RewriteProblemWire[];
  changes: { what: string; line: number; before: string; after: string }[];
  profileName: string | undefined;
  /** The profile's libvirt connection URI (for `virsh migrate … URI`). */
  destinationUri: string | undefined;
  domainName: string | undefined;
  /** False when the rewrite is incomplete or breaks ABI: `virsh migrate --xml` would refuse or misbehave. */
  ok: boolean;
}

export interface ReadinessPair {
  alias: string;
  standbyMac: string | undefined;
  vfMac: string | undefined;
  /** Where the VF comes from: a host PCI address, or a VF pool network. */
  vf: string;
  range: Range;
}

export interface ReadinessItem {
  code: string;
  message: string;
  severity: 'error' | 'warning';
  range: Range;
}

export interface Readiness {
  isDomain: boolean;
  /** The <domain> start tag (where the CodeLens goes). */
  domainRange: Range | undefined;
  name: string | undefined;
  pairs: ReadinessPair[];
  /** Errors, and warnings that block live migration. */
  blockers: ReadinessItem[];
  /** What a destination host must provide, or what the destination XML must rewrite. */
  destinationNeeds: string[];
  /** What no tool can see from the XML but the user must know (e.g. the guest's failover support). */
  notes: string[];
}
