/** A bare http-proxy-3 server for the gateway bench: the library's own cost, with no gateway logic, on a keep-alive agent. */
import { Agent, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxyServer } from 'http-proxy-3';

const target = process.env.TARGET as string;
const agent = new Agent({ keepAlive: true, maxSockets: Infinity });
const proxy = createProxyServer({ target, agent, xfwd: true });
proxy.on('error', (_err, _req, res) => {
  if ('writeHead' in res && !res.headersSent) res.writeHead(502);
  res.end();
});
const server = createServer((req, res) => {
  // The same path rewrite the gateway does: /function/<name>/rest → /rest.
  req.url = (req.url ?? '/').replace(/^\/function\/[^/?]+/, '') || '/';
  if (req.url.startsWith('?')) req.url = `/${req.url}`;
  proxy.web(req, res);
});
server.listen(0, '127.0.0.1', () => console.log(`listening on ${(server.address() as AddressInfo).port}`));
process.on('SIGTERM', () => process.exit(0));
