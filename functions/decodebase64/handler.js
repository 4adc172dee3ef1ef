'use strict';

const BASE64 = /^[A-Za-z0-9+/_-]*={0,2}$/;

/** Decodes a base64 (or base64url) body back to its bytes; 400 when the body is not base64. */
module.exports = async (event) => {
  const text = event.rawBody.toString('utf8').replace(/\s+/g, '');
  if (!BASE64.test(text) || text.replace(/=+$/, '').length % 4 === 1) {
    return { statusCode: 400, headers: { 'content-type': 'text/plain; charset=utf-8' }, body: 'the body is not base64\n' };
  }
  return { statusCode: 200, headers: { 'content-type': 'application/octet-stream' }, body: Buffer.from(text, 'base64') }; // Node's decoder reads base64url too
};
