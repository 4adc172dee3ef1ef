import { join } from 'node:path';
import { invoke } from './fn-event';

const fn = (name: string): string => join(__dirname, '..', '..', '..', 'functions', name, 'handler.js');

describe('markdown', () => {
  it('renders Markdown to HTML', async () => {
    const r = (await invoke(fn('markdown'), { body: '# Title\n\n*hi* [x](https://example.com)' })) as { headers: Record<string, string>; body: string };
    expect(r.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(r.body).toContain('<h1>Title</h1>');
    expect(r.body).toContain('<em>hi</em>');
    expect(r.body).toContain('<a href="https://example.com">x</a>');
  });

  it('escapes raw HTML', async () => {
    const r = (await invoke(fn('markdown'), { body: '<script>alert(1)</script>' })) as { body: string };
    expect(r.body).not.toContain('<script>');
  });
});
