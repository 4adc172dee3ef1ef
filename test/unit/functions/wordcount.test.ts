import { join } from 'node:path';
import { invoke } from './fn-event';

const fn = (name: string): string => join(__dirname, '..', '..', '..', 'functions', name, 'handler.js');

describe('wordcount', () => {
  it.each([
    ['', { lines: 0, words: 0, characters: 0 }],
    ['hello world\n', { lines: 1, words: 2, characters: 12 }],
    ['one\ntwo  three\nfour', { lines: 2, words: 4, characters: 19 }],
    ['héllo ✓', { lines: 0, words: 2, characters: 7 }],
  ])('counts %j', async (body, expected) => {
    expect(await invoke(fn('wordcount'), { body })).toEqual(expected);
  });
});
