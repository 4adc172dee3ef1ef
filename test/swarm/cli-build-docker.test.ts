/**
 * `skep build --docker` through dockerode, in the Swarm suite where the engine and the watchdog image are set up:
 * the image is built from the node template plus the handler, labelled, and removed by that label afterwards.
 * Without an engine or the images the suite fails (it never skips): scripts/ci/swarm-suite.sh prepares both.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { ensureBuilt, makeProject, skep } from '../support/skep-cli';

function dockerReady(): boolean {
  if (!process.env.DOCKER_HOST && !existsSync('/var/run/docker.sock')) return false;
  try {
    execFileSync('docker', ['image', 'inspect', 'skep/watchdog:latest'], { stdio: 'ignore', timeout: 20_000 });
    const base = ['skep/node-base:20', 'node:20-alpine'].some((img) => {
      try {
        execFileSync('docker', ['image', 'inspect', img], { stdio: 'ignore', timeout: 20_000 });
        return true;
      } catch {
        return false;
      }
    });
    return base;
  } catch {
    return false;
  }
}

const name = `clibuild${process.pid}`;

describe('skep build --docker', () => {
  jest.setTimeout(300_000);
  let project: ReturnType<typeof makeProject>;

  beforeAll(() => {
    if (!dockerReady()) throw new Error('no Docker engine, or no skep/watchdog:latest and base image: run scripts/swarm-up.sh first');
    ensureBuilt();
    project = makeProject(`  ${name}:\n    lang: node\n    handler: ./echoit\n    image: skep-test/${name}:latest\n`);
  });

  afterAll(() => {
    if (!project) return;
    const ids = execFileSync('docker', ['images', '-q', '--filter', `label=com.skep.function=${name}`]).toString().split('\n').filter(Boolean);
    if (ids.length) execFileSync('docker', ['rmi', '-f', ...new Set(ids)], { stdio: 'ignore' });
    project?.cleanup();
  });

  it('builds a labelled image from the template and the handler, leaving nothing in the project', async () => {
    const r = await skep(['build', '-f', project.stackFile, '--filter', name, '--docker'], { cwd: project.dir, env: { ...(process.env.DOCKER_HOST ? { DOCKER_HOST: process.env.DOCKER_HOST } : {}) }, timeoutMs: 280_000 });
    expect(r.stderr).toContain('Building images with the Docker engine.');
    expect(r.stderr).toContain(`✔ ${name}: image skep-test/${name}:latest built`);
    expect(r.code).toBe(0);
    const labels = execFileSync('docker', ['image', 'inspect', '-f', '{{json .Config.Labels}}', `skep-test/${name}:latest`]).toString();
    expect(JSON.parse(labels)).toMatchObject({ 'com.skep.function': name });
    expect(existsSync(`${project.dir}/build`)).toBe(false);
  });
});
