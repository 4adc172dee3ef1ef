'use strict';

const MarkdownIt = require('markdown-it');

// Raw HTML in the input is escaped (html: false), so the output is safe to embed.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });

/** Renders the Markdown body to HTML. */
module.exports = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': 'text/html; charset=utf-8' },
  body: md.render(event.rawBody.toString('utf8')),
});
