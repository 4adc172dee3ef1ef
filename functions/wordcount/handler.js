'use strict';

/** Counts the body's lines, words and characters (as `wc` does: lines are newline characters, characters are code points). */
function count(text) {
  const words = text.split(/\s+/).filter(Boolean).length;
  const lines = (text.match(/\n/g) || []).length;
  return { lines, words, characters: Array.from(text).length };
}

/** Answers `{ lines, words, characters }` for the body as UTF-8 text. */
module.exports = async (event) => count(event.rawBody.toString('utf8'));
module.exports.count = count;
