'use strict';

/** Echoes the request body byte for byte, with the request's Content-Type. */
module.exports = async (event) => ({
  statusCode: 200,
  headers: { 'content-type': event.headers['content-type'] || 'text/plain; charset=utf-8' },
  body: event.rawBody,
});
