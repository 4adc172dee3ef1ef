/** `npm start`: deploys every function of the stack file to the running gateway's provider and prints how to call one. */
import { loadCatalog } from './catalog';
import type { Provider } from '../provider';
import { ConflictError } from '../../errors';

/** Deploys each catalog function (existing ones are left alone) and prints a curl line to try. */
export async function deployStack(gw: { provider: Provider; url: string }, stackFile: string): Promise<string[]> {
  const catalog = await loadCatalog(stackFile);
  const deployed: string[] = [];
  for (const entry of catalog.values()) {
    try {
      await gw.provider.deploy({ service: entry.name, image: entry.image, envVars: entry.environment, labels: entry.labels, annotations: entry.annotations, limits: entry.limits });
      deployed.push(entry.name);
    } catch (err) {
      if (!(err instanceof ConflictError)) console.error(`could not deploy ${entry.name}: ${(err as Error).message}`);
    }
  }
  if (deployed.length === 0) {
    console.log(`Skep gateway on ${gw.url} (no functions found in ${stackFile})`);
    return deployed;
  }
  const sample = deployed.includes('echoit') ? 'echoit' : deployed[0];
  console.log(`Skep gateway on ${gw.url} with ${deployed.length} functions: ${deployed.join(', ')}`);
  console.log(`Try: curl -d 'hello' ${gw.url}/function/${sample}`);
  return deployed;
}
