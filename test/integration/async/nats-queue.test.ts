import { NatsQueue } from '../../../gateway/src/async/nats-queue';
import { NatsServer, startNatsServer } from '../../support/nats-server';
import { CONTRACT_LEASE_MS, queueContract } from '../../support/queue-contract';

let server: NatsServer;
let n = 0;

beforeAll(async () => {
  server = await startNatsServer();
}, 30_000);
afterAll(async () => {
  await server?.stop();
});

queueContract('NATS JetStream', async () => {
  // Each test gets its own stream and buckets on the shared server; reopening (a restart) reuses them.
  const prefix = `t${++n}_`;
  return {
    open: async (clock) => {
      const q = new NatsQueue({ servers: server.url, clock, leaseMs: CONTRACT_LEASE_MS, recheckMs: 50, prefix });
      await q.connected();
      return q;
    },
    cleanup: async () => undefined,
  };
});
