'use strict';

const MAX_MS = 10 * 60 * 1000;

/** Waits `?ms=` milliseconds (default 1000, at most 10 minutes) and says so; stops early if the watchdog times it out. */
module.exports = async (event, context) => {
  const raw = event.query.ms ?? '1000';
  const ms = Number(raw);
  if (!/^\d+$/.test(raw) || ms > MAX_MS) {
    return { statusCode: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: `ms must be a whole number from 0 to ${MAX_MS}\n` };
  }
  await new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    context.signal.addEventListener('abort', () => { clearTimeout(timer); resolve(); }, { once: true });
  });
  return `slept ${ms} ms\n`;
};
