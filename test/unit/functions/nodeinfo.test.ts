import { join } from 'node:path';
import { invoke } from './fn-event';

const fn = (name: string): string => join(__dirname, '..', '..', '..', 'functions', name, 'handler.js');

describe('nodeinfo', () => {
  it('describes the machine', async () => {
    const r = (await invoke(fn('nodeinfo'), { method: 'GET' })) as Record<string, unknown>;
    expect(r).toMatchObject({ platform: process.platform, arch: process.arch, node: process.version });
    expect(r.cpus).toBeGreaterThan(0);
    expect(r.cpuModels).toBeUndefined();
  });

  it('lists CPU models with ?verbose=true', async () => {
    const r = (await invoke(fn('nodeinfo'), { method: 'GET', query: 'verbose=true' })) as { cpuModels: unknown[] };
    expect(r.cpuModels.length).toBeGreaterThan(0);
  });
});
