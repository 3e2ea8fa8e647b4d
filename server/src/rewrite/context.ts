import type { AnyDevice, DomainModel } from '../model/domain';
import type { Span, XmlElement } from '../parser/nodes';
import { attrValue } from '../parser/query';
import { setAttribute } from '../edits/ops';
import { detectStyle, type Style } from '../edits/style';
import type { OffsetEdit } from '../edits/textEdits';
import type { DestinationProfile } from './profile';

export type Severity = 'error' | 'warning' | 'information';

export interface RewriteChange {
  what: string;
  /** The changed element or attribute in the source. */
  start: number;
  end: number;
  before: string;
  after: string;
}

export interface RewriteProblem {
  code: string;
  message: string;
  severity: Severity;
  /** Where in the source domain, when the problem is about a place there. */
  start?: number;
  end?: number;
  /** Where in the profile text, when the problem is about a profile setting. */
  profileSpan?: Span;
}

/** What one rewrite collects: edits against the source, the changes they make, problems, and the settings used. */
export class RewriteContext {
  readonly edits: OffsetEdit[] = [];
  readonly changes: RewriteChange[] = [];
  readonly problems: RewriteProblem[] = [];
  /** JSON pointers of the profile settings that matched something in the domain. */
  readonly used = new Set<string>();

  private readonly style: Style;

  constructor(
    readonly text: string,
    readonly model: DomainModel,
    readonly profile: DestinationProfile,
  ) {
    this.style = detectStyle(model.doc);
  }

  /** Sets an attribute; returns whether the text changes. */
  set(el: XmlElement, name: string, value: string): boolean {
    if (attrValue(el, name) === value) return false;
    this.edits.push(setAttribute(this.style, el, name, value));
    return true;
  }

  /** Sets one attribute that is a whole setting, recording the change when there is one. */
  setValue(what: string, el: XmlElement, name: string, value: string): void {
    const before = attrValue(el, name);
    if (!this.set(el, name, value)) return;
    const a = el.attributes.find((x) => x.name === name);
    const span = a ? { start: a.nameStart, end: a.valueEnd + (a.quote ? 1 : 0) } : { start: el.start, end: el.startTagEnd };
    this.changes.push({ what, ...span, before: before ?? '', after: value });
  }

  problem(code: string, severity: Severity, message: string, where?: Span, profileSpan?: Span): void {
    this.problems.push({
      code,
      severity,
      message,
      ...(where ? { start: where.start, end: where.end } : {}),
      ...(profileSpan ? { profileSpan } : {}),
    });
  }

  /** The profile's key (or, with `value`, its value) for a setting, when the profile came from text. */
  profileSpan(ptr: string, part: 'key' | 'value' = 'key'): Span | undefined {
    const locations = this.profile.locations;
    return locations && Object.hasOwn(locations, ptr) ? locations[ptr][part] : undefined;
  }

  /** `<interface type='hostdev'> 'ua-vf0' (the VF teamed with 'ua-backup0')`: by alias, else by place in its class. */
  describe(dev: AnyDevice): string {
    const type = attrValue(dev.el, 'type');
    const tag = `<${dev.el.name}${type ? ` type='${type}'` : ''}>`;
    const place = this.model.devices.filter((d) => d.el.name === dev.el.name).indexOf(dev) + 1;
    const name = dev.alias ? `'${dev.alias.name.value}'` : `#${place}`;
    const partner =
      dev.teaming?.type?.value === 'transient' && dev.teaming.persistent
        ? ` (the VF teamed with '${dev.teaming.persistent.value}')`
        : '';
    return `${tag} ${name}${partner}`;
  }
}

export function startTag(el: XmlElement): Span {
  return { start: el.start, end: el.startTagEnd };
}
