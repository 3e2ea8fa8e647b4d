/**
 * Markdown for hover and completion documentation. VS Code's renderer treats `<mac>` in plain text as HTML and
 * drops it ("address of" instead of "address of <mac>"), so element names and start tags are code-formatted.
 */

/** Inline code; a backtick inside would end it early, so it becomes a quote. */
export const code = (s: string): string => `\`${s.replace(/`/g, "'")}\``;

/** A start or end tag in running text: `<mac>`, `</mac>`, `<forward mode="hostdev">`, `<model type=virtio|qxl>`. */
const TAG = /<\/?[A-Za-z_][\w:.-]*(?:\s[^<>`]*)?\/?>/g;

/** Plain text (vocabulary docs, device descriptions) made safe for Markdown: tags outside code spans become code. */
export function markdownText(text: string): string {
  return text
    .split(/(`[^`]*`)/)
    .map((part, i) => (i % 2 === 1 ? part : part.replace(TAG, (tag) => code(tag))))
    .join('');
}
