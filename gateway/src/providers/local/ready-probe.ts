/** Readiness of a replica: its watchdog's `GET /_/ready` answers 200. */
import { get } from 'node:http';

/** Resolves true when `http://127.0.0.1:<port>/_/ready` answers 200 within `timeoutMs`. */
export function probeReady(port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/_/ready', agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      resolve(res.statusCode === 200);
    });
    req.on('timeout', () => req.destroy());
    req.on('error', () => resolve(false));
  });
}
