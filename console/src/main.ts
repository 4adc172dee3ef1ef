/** The console's entry: a hash router that gives each view an AbortSignal, aborted when the user navigates away. */
import { deployView } from './deploy-view.js';
import { functionView } from './function-view.js';
import { listView } from './list-view.js';

const root = document.getElementById('main') as HTMLElement;
let current: AbortController | null = null;
let firstLoad = true;

function route(): void {
  current?.abort();
  current = new AbortController();
  const hash = location.hash.replace(/^#\/?/, '');
  const [section, ...rest] = hash.split('/');
  for (const link of document.querySelectorAll('header nav a')) {
    const target = (link.getAttribute('href') ?? '').replace(/^#\/?/, '');
    if (target === (section === 'functions' ? '' : section)) link.setAttribute('aria-current', 'page');
    else link.removeAttribute('aria-current');
  }
  if (section === 'functions' && rest.length > 0) {
    const name = decodeURIComponent(rest.join('/'));
    document.title = `${name} · Skep`;
    functionView(root, name, current.signal);
  } else if (section === 'deploy') {
    document.title = 'Deploy · Skep';
    deployView(root, current.signal);
  } else {
    document.title = 'Functions · Skep';
    listView(root, current.signal);
  }
  // after an in-app navigation, move focus to the new view's heading so keyboard and screen-reader users start there;
  // not on first load, where Tab must reach the skip link and the navigation first
  if (!firstLoad) (root.querySelector('h1') as HTMLElement | null)?.focus();
  firstLoad = false;
}

window.addEventListener('hashchange', route);
route();
