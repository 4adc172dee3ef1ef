import { FakeProvider } from '../../../gateway/src/providers/fake/fake-provider';
import { providerContract } from '../../support/provider-contract';

providerContract('fake', async () => {
  const provider = new FakeProvider();
  const real = provider.resolve.bind(provider);
  // The fake has no processes: every replica "runs" at a made-up address.
  provider.resolve = async (name) => {
    await real(name);
    const st = await provider.status(name);
    return Array.from({ length: st.replicas }, (_, i) => ({ id: `${name}-${i}`, url: `http://127.0.0.1:${10000 + i}` }));
  };
  return { provider, cleanup: () => provider.close() };
}, { deployment: (name) => ({ service: name, image: 'fake/echo:latest' }) });
