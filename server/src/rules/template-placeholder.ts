import { firstPlaceholder, hasPlaceholder, mayHavePlaceholders } from '../model/template';
import type { XmlElement } from '../parser/nodes';
import { valueSpan, type Rule } from './rule';

/**
 * A value that is a template placeholder — `@VM_UUID@` (autoconf, CMake `configure_file`), `${VM_UUID}`
 * (envsubst) or `{{ vm_uuid }}` (Jinja, Go templates) — in a domain kept as a template (`domain.xml.in`).
 *
 * libvirt would refuse most of them (`@VM_UUID@` is not a UUID), but they are not mistakes: the value is known only
 * when the template is filled in. So the schema and MAC checks skip a value that holds a placeholder, and this one
 * finding per value says that it was not checked. Fill the template in and check the result
 * (`migratable check domain.xml`) before `virsh define`.
 */
export const rule: Rule = {
  code: 'template-placeholder',
  severity: 'information',
  title: 'a template placeholder, not checked until filled in',
  check(model, report) {
    const text = model.doc.text;
    if (!mayHavePlaceholders(text)) return;
    const walk = (el: XmlElement) => {
      for (const a of el.attributes) {
        if (a.value !== null && hasPlaceholder(a.value))
          report({ ...valueSpan(a), message: notChecked(firstPlaceholder(a.value)!, `${a.name}= of <${el.name}>`) });
      }
      for (const c of el.children) {
        if (c.kind === 'element') walk(c);
        else if (c.kind === 'text' || c.kind === 'cdata') {
          const raw = text.slice(c.start, c.end);
          const value = raw.trim();
          if (!hasPlaceholder(value)) continue;
          const start = c.start + raw.indexOf(value);
          report({ start, end: start + value.length, message: notChecked(firstPlaceholder(value)!, `the text of <${el.name}>`) });
        }
      }
    };
    walk(model.domain);
  },
};

function notChecked(placeholder: string, where: string): string {
  return `template placeholder ${placeholder} in ${where}: not checked until the template is filled in`;
}
