// The citizen page: three tabs (#report, #track[/number], #nearby). The report form loads first;
// the other two parts, and the map library, only when they are opened.
import { byId } from './dom.js';
import { ReportForm } from './report.js';

const TABS = ['report', 'track', 'nearby'];
const parts = {};

const report = new ReportForm({ onTrack: (number) => go(`track/${number}`) });
report.loadCatalog();

function track() {
  parts.track ??= import('./track.js').then((m) => new m.TrackView());
  return parts.track;
}

function nearby() {
  parts.nearby ??= import('./nearby.js').then((m) => new m.NearbyView());
  return parts.nearby;
}

function go(hash) {
  if (location.hash === `#${hash}`) route();
  else location.hash = hash;
}

async function route() {
  const [name, arg] = location.hash.replace(/^#/, '').split('/');
  const tab = TABS.includes(name) ? name : 'report';
  for (const t of TABS) {
    byId(`${t}-view`).hidden = t !== tab;
    byId(`tab-${t}`).setAttribute('aria-selected', String(t === tab));
  }
  document.body.dataset.tab = tab;
  try {
    if (tab === 'track') {
      const view = await track();
      view.showMine();
      if (arg) view.lookup(decodeURIComponent(arg));
    } else if (tab === 'nearby') {
      const view = await nearby();
      view.suggest(report.position.value());
    }
  } catch {
    // A module that failed to load (the network went away): the tab says so.
    byId(`${tab}-view`).append(Object.assign(document.createElement('p'), { className: 'form-error', textContent: '页面加载失败，请检查网络后刷新' }));
  }
}

addEventListener('hashchange', route);
route();
