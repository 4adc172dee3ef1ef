/** The live log tail: follows `/system/logs?follow=true` through fetch streaming and appends each NDJSON line. */
import { followLogs } from './api.js';
import { h, replace } from './dom.js';
import { LineSplitter, LogCursor } from './parse.js';
import { describeError } from './ui.js';

const MAX_LINES = 500;

interface LogLine {
  instance?: string;
  timestamp?: string;
  text?: string;
}

/** Builds the panel; following stops when the user presses the button again or `signal` aborts (view closed). */
export function logTail(name: string, signal: AbortSignal): HTMLElement {
  const button = h('button', { type: 'button', 'aria-pressed': 'false', id: 'logs-toggle' }, 'Follow logs');
  const state = h('span', { class: 'muted', role: 'status' }, 'Not following.');
  const list = h('ol', { class: 'log', id: 'log-lines', role: 'log', 'aria-label': `Logs of ${name}`, tabindex: 0 });
  let current: AbortController | null = null;

  const stop = (message: string) => {
    current?.abort();
    current = null;
    button.setAttribute('aria-pressed', 'false');
    button.textContent = 'Follow logs';
    state.textContent = message;
  };

  // the gateway ends a follow after write_timeout; the tail resumes from the last timestamp and skips lines already shown
  let cursor = new LogCursor();
  const add = (line: string) => {
    let msg: LogLine;
    try {
      msg = JSON.parse(line) as LogLine;
    } catch {
      msg = { text: line };
    }
    if (!cursor.accept(msg.timestamp, `${msg.instance}|${msg.text}`)) return;
    const time = msg.timestamp ? new Date(msg.timestamp) : null;
    list.appendChild(h('li', {},
      time && !Number.isNaN(time.getTime()) && h('time', { datetime: msg.timestamp }, time.toLocaleTimeString()),
      msg.instance && h('span', { class: 'instance', title: msg.instance }, msg.instance.length > 20 ? msg.instance.slice(0, 12) : msg.instance),
      h('span', { class: 'text' }, msg.text ?? '')));
    while (list.childElementCount > MAX_LINES) list.firstElementChild?.remove();
    list.scrollTop = list.scrollHeight;
  };

  /** Reads one follow request to its end. */
  const readOnce = async (ctl: AbortController) => {
    const res = await followLogs(name, cursor.since ? { since: cursor.since } : { tail: 100 }, ctl.signal);
    state.textContent = 'Following.';
    const reader = res.body!.pipeThrough(new TextDecoderStream()).getReader();
    const splitter = new LineSplitter();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      splitter.push(value).forEach(add);
    }
    splitter.flush().forEach(add);
  };

  const start = async () => {
    const ctl = new AbortController();
    current = ctl;
    const onAbort = () => ctl.abort();
    signal.addEventListener('abort', onAbort, { once: true });
    button.setAttribute('aria-pressed', 'true');
    button.textContent = 'Stop following';
    state.textContent = 'Connecting…';
    replace(list);
    cursor = new LogCursor();
    try {
      while (current === ctl) {
        await readOnce(ctl);
        if (current === ctl) state.textContent = 'Reconnecting…';
        await new Promise((r) => setTimeout(r, 1000));
      }
    } catch (e) {
      if (current === ctl) stop(`Log stream failed: ${describeError(e)}`);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  };

  button.addEventListener('click', () => (current ? stop('Stopped.') : void start()));
  return h('section', { class: 'panel logs', 'aria-labelledby': 'logs-h' },
    h('div', { class: 'title-row' }, h('h2', { id: 'logs-h' }, 'Logs'), h('div', { class: 'actions' }, button, state)),
    list);
}
