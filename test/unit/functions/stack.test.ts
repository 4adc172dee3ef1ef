import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

const dir = join(__dirname, '..', '..', '..', 'functions');
const SAMPLES = ['echoit', 'base64', 'decodebase64', 'wordcount', 'markdown', 'nodeinfo', 'sleep'];

describe('functions/stack.yml', () => {
  const stack = parse(readFileSync(join(dir, 'stack.yml'), 'utf8')) as {
    provider: { name: string; gateway: string };
    functions: Record<string, { lang: string; handler: string; image: string }>;
  };

  it('uses the openfaas provider on the local gateway', () => {
    expect(stack.provider).toEqual({ name: 'openfaas', gateway: 'http://127.0.0.1:8080' });
  });

  it('lists exactly the sample functions', () => {
    expect(Object.keys(stack.functions).sort()).toEqual([...SAMPLES].sort());
  });

  it.each(SAMPLES)('declares %s as a node function whose handler exists', (name) => {
    expect(stack.functions[name]).toMatchObject({ lang: 'node', handler: `./${name}`, image: `skep/${name}:latest` });
    expect(existsSync(join(dir, name, 'handler.js'))).toBe(true);
  });
});

describe('functions/templates/node/template.yml', () => {
  it('has the faas-cli keys and the skep block', () => {
    const tpl = parse(readFileSync(join(dir, 'templates', 'node', 'template.yml'), 'utf8')) as Record<string, unknown>;
    expect(tpl).toMatchObject({ language: 'node', skep: { mode: 'inproc', handler: 'handler.js' } });
    expect(tpl).toHaveProperty('fprocess');
  });

  it('has a Dockerfile with a BASE_IMAGE argument, the inproc env and a lock-file HEALTHCHECK', () => {
    const text = readFileSync(join(dir, 'templates', 'node', 'Dockerfile'), 'utf8');
    expect(text).toContain('ARG BASE_IMAGE=node:20-alpine');
    expect(text).toContain('FROM ${BASE_IMAGE}');
    expect(text).toMatch(/mode=inproc handler_path=\/home\/app\/function\/handler\.js/);
    expect(text).toMatch(/HEALTHCHECK .*\/tmp\/\.lock/);
  });
});
