import { providerContract } from '../support/provider-contract';
import { localProvider, watchdogBuilt } from '../support/local-harness';

if (!watchdogBuilt()) throw new Error('dist/watchdog/src/main.js is missing: run `npm run build` first (npm test does)');

providerContract('local', async () => {
  const provider = await localProvider();
  return { provider, cleanup: () => provider.close() };
}, { deployment: (name) => ({ service: name, image: 'test/pid:latest' }), readyTimeoutMs: 15_000 });

describe('LocalProvider after close', () => {
  it('refuses to deploy, so a deploy racing SIGTERM leaves no process behind', async () => {
    const provider = await localProvider();
    await provider.close();
    await expect(provider.deploy({ service: 'late', image: 'test/pid:latest' })).rejects.toMatchObject({ statusCode: 503 });
    await expect(provider.status('late')).rejects.toMatchObject({ statusCode: 503 });
  });
});
