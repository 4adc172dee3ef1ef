/** The console's entry: a hash router that gives each view an AbortSignal, aborted when the user navigates away. */
import { deployView } from './deploy-view.js';
import { functionView } from './function-view.js';
import { listView } from './list-view.js';

const root = document.getElementById('main') as HTMLElement;
let current: AbortController | null = null;

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
  // move focus to the new page's heading so keyboard and screen-reader users start at the top of the view
  (root.querySelector('h1') as HTMLElement | null)?.focus({ preventScroll: false });
}

window.addEventListener('hashchange', route);
route();
