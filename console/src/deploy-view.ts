/** The deploy form: builds a FunctionDeployment and shows the API's validation messages next to the fields they concern. */
import { ApiError, deployFunction, listFunctions, listSecrets, type FunctionDeployment } from './api.js';
import { h, replace } from './dom.js';
import { fieldErrors, parseKeyValueLines, type DeployField } from './parse.js';
import { describeError, setFlash } from './ui.js';

interface FieldSpec {
  field: DeployField;
  label: string;
  hint: string;
  control: HTMLInputElement | HTMLTextAreaElement | HTMLFieldSetElement;
}

function field(spec: FieldSpec, error: HTMLElement): HTMLElement {
  const id = `f-${spec.field}`;
  const hintId = `${id}-hint`;
  const errId = `${id}-error`;
  error.id = errId;
  spec.control.setAttribute('aria-describedby', `${hintId} ${errId}`);
  const label = spec.control instanceof HTMLFieldSetElement ? null : h('label', { for: id }, spec.label);
  spec.control.id = id;
  return h('div', { class: 'field', 'data-field': spec.field }, label, spec.control, h('p', { class: 'hint', id: hintId }, spec.hint), error);
}

/** Renders the deploy form into `root`. */
export function deployView(root: HTMLElement, signal: AbortSignal): void {
  const input = (name: string, placeholder = '') => h('input', { name, type: 'text', placeholder, autocomplete: 'off', spellcheck: 'false' });
  const area = (name: string, placeholder: string) => h('textarea', { name, rows: 3, placeholder, spellcheck: 'false' });
  const secrets = h('fieldset', { class: 'secrets' }, h('legend', {}, 'Secrets'), h('p', { class: 'muted' }, 'Loading secrets…'));
  const images = h('datalist', { id: 'known-images' });
  const specs: FieldSpec[] = [
    { field: 'service', label: 'Name', hint: 'Lowercase letters, digits and "-".', control: input('service', 'my-function') },
    { field: 'image', label: 'Image', hint: 'A catalog image (e.g. skep/echoit:latest), or any image with a process below.', control: input('image', 'skep/echoit:latest') },
    { field: 'envProcess', label: 'Process (fprocess, optional)', hint: 'Command the watchdog runs per request, e.g. cat.', control: input('envProcess') },
    { field: 'envVars', label: 'Environment', hint: 'One KEY=VALUE a line.', control: area('envVars', 'write_timeout=10s') },
    { field: 'labels', label: 'Labels', hint: 'One KEY=VALUE a line; com.openfaas.scale.min / .max set the replica bounds.', control: area('labels', 'com.openfaas.scale.min=1') },
    { field: 'annotations', label: 'Annotations', hint: 'One KEY=VALUE a line.', control: area('annotations', 'topic=orders') },
    { field: 'secrets', label: 'Secrets', hint: 'Mounted under /var/openfaas/secrets/.', control: secrets },
  ];
  specs[1].control.setAttribute('list', 'known-images');
  const errors = new Map<DeployField, HTMLElement>(specs.map((s) => [s.field, h('p', { class: 'field-error' })]));
  const formError = h('div', { class: 'error', role: 'alert', id: 'form-error' });
  const submit = h('button', { type: 'submit', class: 'primary' }, 'Deploy');
  const form = h('form', { class: 'deploy', novalidate: true, 'aria-labelledby': 'deploy-h' },
    ...specs.map((s) => field(s, errors.get(s.field)!)), images, formError, h('div', { class: 'actions' }, submit));
  replace(root,
    h('nav', { class: 'crumbs', 'aria-label': 'Breadcrumb' }, h('a', { href: '#/' }, 'Functions'), ' / Deploy'),
    h('h1', { tabindex: -1, id: 'deploy-h' }, 'Deploy a function'), form);

  const showErrors = (list: { field: DeployField | null; message: string }[]) => {
    for (const [f, el] of errors) {
      const mine = list.filter((e) => e.field === f).map((e) => e.message);
      el.textContent = mine.join(' ');
      const control = specs.find((s) => s.field === f)!.control;
      if (mine.length > 0) control.setAttribute('aria-invalid', 'true');
      else control.removeAttribute('aria-invalid');
    }
    const general = list.filter((e) => e.field === null).map((e) => e.message);
    replace(formError, general.length > 0 && h('p', {}, general.join(' ')));
    const first = specs.find((s) => list.some((e) => e.field === s.field));
    (first?.control instanceof HTMLFieldSetElement ? first.control.querySelector('input') : first?.control)?.focus();
  };

  listSecrets().then((list) => {
    const boxes = list.map((s) => h('label', { class: 'check' }, h('input', { type: 'checkbox', name: 'secret', value: s.name }), s.name));
    replace(secrets, h('legend', {}, 'Secrets'), ...(boxes.length > 0 ? boxes : [h('p', { class: 'muted' }, 'No secrets exist yet.')]));
  }, (e) => replace(secrets, h('legend', {}, 'Secrets'), h('p', { class: 'muted' }, `Could not list secrets: ${describeError(e)}`)));
  listFunctions(signal).then((fns) => {
    for (const image of new Set(fns.map((f) => f.image))) images.appendChild(h('option', { value: image }));
  }, () => undefined);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const value = (f: DeployField) => (specs.find((s) => s.field === f)!.control as HTMLInputElement).value.trim();
    const local: { field: DeployField; message: string }[] = [];
    const maps: Partial<Record<'envVars' | 'labels' | 'annotations', Record<string, string>>> = {};
    for (const f of ['envVars', 'labels', 'annotations'] as const) {
      const parsed = parseKeyValueLines(value(f));
      if ('error' in parsed) local.push({ field: f, message: parsed.error });
      else if (Object.keys(parsed.map).length > 0) maps[f] = parsed.map;
    }
    if (local.length > 0) return showErrors(local);
    const picked = [...secrets.querySelectorAll<HTMLInputElement>('input[name=secret]:checked')].map((i) => i.value);
    const body: FunctionDeployment = { service: value('service'), image: value('image'), ...maps };
    if (value('envProcess')) body.envProcess = value('envProcess');
    if (picked.length > 0) body.secrets = picked;
    submit.disabled = true;
    try {
      await deployFunction(body);
      setFlash(`Deployed ${body.service}.`);
      location.hash = `#/functions/${encodeURIComponent(body.service)}`;
    } catch (e) {
      showErrors(e instanceof ApiError ? fieldErrors(e.body) : [{ field: null, message: describeError(e) }]);
    } finally {
      submit.disabled = false;
    }
  });
}
