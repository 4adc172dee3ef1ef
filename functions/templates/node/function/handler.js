'use strict';

/** Answers with a greeting and what was sent; see the README's "Functions and templates" section. */
module.exports = async (event, context) => ({
  statusCode: 200,
  headers: { 'content-type': 'application/json' },
  body: { message: 'Hello from Skep', method: event.method, path: event.path, query: event.query, body: event.body },
});
