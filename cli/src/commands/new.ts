/** `skep new NAME --lang node`: a handler folder from the template's skeleton, and an entry in the stack file. */
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command } from 'commander';
import YAML from 'yaml';
import { invalidFunctionName } from '../../../common/src/names';
import type { Context } from '../context';
import { DEFAULT_GATEWAY } from '../context';
import { UsageError } from '../output';
import { findTemplate } from '../templates';
import type { Wrap } from '../main';

/** Written when a template has no `function/` skeleton folder. */
const FALLBACK_HANDLER = `'use strict';

/** Answers every call with the request body, and says hello when there is none. */
module.exports = async (event, context) => {
  const body = Buffer.isBuffer(event.body) ? event.body.toString('utf8') : event.body;
  return { statusCode: 200, headers: { 'content-type': 'text/plain' }, body: body || 'Hello from Skep\\n' };
};
`;

/** Registers `new`. */
export function registerNewCommand(program: Command, wrap: Wrap): void {
  program
    .command('new <name>')
    .description('create a function folder from a template and add it to the stack file')
    .requiredOption('--lang <lang>', 'template language, e.g. node')
    .option('--prefix <prefix>', 'image prefix (default: $OPENFAAS_PREFIX, else "skep")')
    .action(wrap(create));
}

async function create(ctx: Context, name: string, f: { lang: string; prefix?: string }): Promise<void> {
  const bad = invalidFunctionName(name);
  if (bad) throw new UsageError(bad);
  const stackPath = ctx.opts.yaml ? resolve(ctx.io.cwd, ctx.opts.yaml) : resolve(ctx.io.cwd, 'stack.yml');
  const stackDir = resolve(stackPath, '..');
  const template = findTemplate(f.lang, stackDir);
  if (!template) throw new UsageError(`no template for --lang "${f.lang}" (looked in templates/, template/ and Skep's functions/templates)`);
  const folder = join(stackDir, name);
  if (existsSync(folder)) throw new UsageError(`${relative(ctx.io.cwd, folder) || folder} already exists`);

  const doc = existsSync(stackPath) ? YAML.parseDocument(readFileSync(stackPath, 'utf8')) : newStackDocument();
  if (doc.errors.length) throw new UsageError(`${stackPath} is not valid YAML: ${doc.errors[0].message.split('\n')[0]}`);
  if (doc.hasIn(['functions', name])) throw new UsageError(`${stackPath} already has a function named "${name}"`);

  const skeleton = join(template.dir, 'function');
  if (existsSync(skeleton)) cpSync(skeleton, folder, { recursive: true });
  else {
    mkdirSync(folder, { recursive: true });
    writeFileSync(join(folder, template.skep?.handler ?? 'handler.js'), FALLBACK_HANDLER);
  }
  const prefix = (f.prefix ?? ctx.io.env.OPENFAAS_PREFIX ?? 'skep').replace(/\/+$/, '');
  const entry = { lang: f.lang, handler: `./${name}`, image: `${prefix ? `${prefix}/` : ''}${name}:latest` };
  if (!doc.has('functions') || doc.get('functions') === null) doc.set('functions', doc.createNode({}));
  doc.setIn(['functions', name], doc.createNode(entry));
  writeFileSync(stackPath, doc.toString());

  if (ctx.out.json) return ctx.out.printJson({ name, folder, stackFile: stackPath, ...entry });
  ctx.out.line(`Created ${relative(ctx.io.cwd, folder) || folder}/ from the ${f.lang} template.`);
  ctx.out.line(`Added ${name} to ${relative(ctx.io.cwd, stackPath) || stackPath} (image ${entry.image}).`);
  ctx.out.line(`Next: skep up${ctx.opts.yaml ? ` -f ${ctx.opts.yaml}` : ''} --filter ${name} && skep invoke ${name}`);
}

function newStackDocument(): YAML.Document {
  return new YAML.Document({ version: '1.0', provider: { name: 'openfaas', gateway: DEFAULT_GATEWAY }, functions: {} });
}
