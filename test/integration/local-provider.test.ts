import { providerContract } from '../support/provider-contract';
import { localProvider, watchdogBuilt } from '../support/local-harness';

if (!watchdogBuilt()) throw new Error('dist/watchdog/src/main.js is missing: run `npm run build` first (npm test does)');

providerContract('local', async () => {
  const provider = await localProvider();
  return { provider, cleanup: () => provider.close() };
}, { deployment: (name) => ({ service: name, image: 'test/pid:latest' }), readyTimeoutMs: 15_000 });
