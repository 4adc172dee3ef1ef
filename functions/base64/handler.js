'use strict';

/** Encodes the request body as base64 text. */
module.exports = async (event) => event.rawBody.toString('base64');
