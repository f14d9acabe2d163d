// The dashboard's router: the hash names the page (#/, #/leaderboard, #/run/<id>, #/items/<id>?filters,
// #/item/<id>/<key>), each page renders into <main>, and a page may ask to be refreshed while a run is running.
import { el } from './dom.js';
import { itemPage } from './pages/item.js';
import { itemsPage } from './pages/items.js';
import { leaderboardPage } from './pages/leaderboard.js';
import { runPage } from './pages/run.js';
import { runsPage } from './pages/runs.js';

const main = /** @type {HTMLElement} */ (document.getElementById('app'));
/** @type {number | undefined} */
let refresh;

/** @typedef {{ refreshMs?: number }} PageResult */

/**
 * @param {string} hash
 * @returns {{ page: string, args: string[], query: URLSearchParams }}
 */
function parse(hash) {
  const [route = '', q = ''] = hash.replace(/^#\/?/, '').split('?');
  const [page = '', ...args] = route.split('/').map(decodeURIComponent);
  return { page, args, query: new URLSearchParams(q) };
}

async function render() {
  window.clearTimeout(refresh);
  const { page, args, query } = parse(location.hash);
  for (const a of document.querySelectorAll('[data-nav]')) a.classList.toggle('active', a.getAttribute('data-nav') === (page === 'leaderboard' ? 'leaderboard' : page === '' ? 'runs' : ''));
  const view = el('div');
  /** @type {PageResult | void} */
  let result = undefined;
  try {
    if (page === '') result = await runsPage(view);
    else if (page === 'leaderboard') await leaderboardPage(view, query);
    else if (page === 'run' && args[0] !== undefined) result = await runPage(view, args[0]);
    else if (page === 'items' && args[0] !== undefined) await itemsPage(view, args[0], query);
    else if (page === 'item' && args[0] !== undefined && args[1] !== undefined) await itemPage(view, args[0], args[1]);
    else view.append(el('p', { class: 'error' }, `No page ${location.hash}`));
  } catch (e) {
    view.replaceChildren(el('p', { class: 'error' }, e instanceof Error ? e.message : String(e)));
  }
  main.replaceChildren(view);
  main.setAttribute('data-page', page || 'runs');
  if (result?.refreshMs) refresh = window.setTimeout(() => void render(), result.refreshMs);
}

window.addEventListener('hashchange', () => void render());
void render();
