// Embeds a Vega-Lite spec built by the server. Vega evaluates expressions with its interpreter (no eval), so the
// page's Content-Security-Policy needs no 'unsafe-eval'; the editor link (which would leave this machine) is off.
import { el } from './dom.js';

/**
 * A chart in a card, or a note when the report lacks its data.
 * @param {object | null} spec
 * @param {string} missing what to say when spec is null
 * @returns {HTMLElement}
 */
export function chartCard(spec, missing) {
  if (!spec) return el('div', { class: 'card muted' }, missing);
  const holder = el('div', { class: 'chart' });
  const card = el('div', { class: 'card' }, holder);
  vegaEmbed(holder, spec, { renderer: 'svg', ast: true, expr: vega.expressionInterpreter, actions: { export: true, source: false, compiled: false, editor: false } })
    .then(() => holder.setAttribute('data-rendered', 'true'))
    .catch((e) => holder.replaceChildren(el('p', { class: 'error' }, `chart failed: ${e instanceof Error ? e.message : String(e)}`)));
  return card;
}
