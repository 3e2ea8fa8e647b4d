import { pairs, type DomainModel } from '../model/domain';
import type { XmlElement } from '../parser/nodes';
import type { SchemaCode } from './codes';

/**
 * Where a dedicated rule reports the same problem with libvirt's own words (and its own quick fix), the schema
 * rules stay silent: one problem, one diagnostic. Returns the code of that rule.
 */
export function deferredTo(model: DomainModel, code: SchemaCode, el: XmlElement, attr: string | undefined): string | undefined {
  if (el.name === 'teaming' && model.teamings.some((t) => t.el === el)) {
    if (code === 'schema-unknown-element') return 'teaming-hostdev-invalid';
    if (code === 'schema-missing-required') return 'teaming-type-invalid';
    if (code === 'schema-invalid-value' && attr === 'type') return 'teaming-type-invalid';
    if (code === 'schema-invalid-value' && attr === 'persistent') return 'teaming-persistent-attr-missing';
    if (code === 'schema-unknown-attribute' && attr === 'persistent') return 'teaming-persistent-attr-unexpected';
  }
  if (el.name === 'mac' && model.interfaces.some((i) => i.macEl === el)) {
    if (code === 'schema-invalid-value' && attr === 'address') return 'mac-invalid';
    if (
      code === 'schema-missing-required' &&
      pairs(model).some((p) => p.partner.macEl === el || p.transient.owner.el === el.parent)
    )
      return 'teaming-mac-missing';
  }
  if (el.name === 'alias' && code === 'schema-invalid-value' && attr === 'name' && model.aliases.some((a) => a.el === el))
    return 'alias-dropped';
  return undefined;
}
