export { detectStyle, type Style } from './style';
export { element, render, type NewElement } from './xml';
export { applyEdits, normalize, toOffsetEdits, toTextEdits, EditHistory, type OffsetEdit } from './textEdits';
export { unifiedDiff } from './unifiedDiff';
export { appendChild, insertBefore, prependChild, removeAttribute, renameElement, replaceElement, setAttribute } from './ops';
