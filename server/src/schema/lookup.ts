import type { XmlElement } from '../parser/nodes';
import type { ValueType } from './types';
import { vocabulary, type Context, type Vocabulary } from './vocabulary';

/** The contexts an element goes through: its merged context, then each variant its attributes select. */
function contextChain(el: XmlElement, vocab: Vocabulary = vocabulary()): Context[] {
  const parentCtx = el.parent ? vocab.contextOf(el.parent) : undefined;
  const base = parentCtx ? vocab.child(parentCtx, el.name) : el.name === vocab.root.name ? vocab.root : undefined;
  if (!base) return [];
  const chain = [base];
  for (let c = base; c.variants;) {
    const value = el.attributes.find((a) => a.name === c.variants!.attr)?.value;
    const i = value === null || value === undefined ? undefined : c.variants.values.get(value);
    if (i === undefined) break;
    c = vocab.context(i);
    chain.push(c);
  }
  return chain;
}

/**
 * The type of an attribute where it is written. For an attribute that selects a variant (`type` of
 * `<address>`), the type before that selection: every value, not only the one written.
 */
export function attributeType(el: XmlElement, attr: string, vocab: Vocabulary = vocabulary()): ValueType | undefined {
  const chain = contextChain(el, vocab);
  const selecting = chain.find((c) => c.variants?.attr === attr);
  return (selecting ?? chain[chain.length - 1])?.attrs.get(attr);
}

/** The element's context, narrowed by its attributes; undefined where the vocabulary does not reach. */
export function contextFor(el: XmlElement, vocab: Vocabulary = vocabulary()): Context | undefined {
  const chain = contextChain(el, vocab);
  return chain[chain.length - 1];
}

/** The context first reached by a path as the vocabulary writes it (`domain/devices/interface[@type='bridge']/source`). */
export function contextByPath(path: string, vocab: Vocabulary = vocabulary()): Context | undefined {
  return vocab.contextAt(path);
}
