/** Parsing of `/function/<name>[.<namespace>][/sub/path][?query]` into the function name and the upstream path. */
import { invalidFunctionName, splitFunctionRef } from '../../../common/src/names';

/** The function a URL calls and the path (with query) its watchdog receives. */
export interface InvokeTarget {
  name: string;
  path: string;
}

/** Function names by URL segment: decoding and checking a name on every call showed in the per-call CPU. */
const names = new Map<string, string | null>();

function nameOf(segment: string): string | null {
  let name = names.get(segment);
  if (name === undefined) {
    const ref = splitFunctionRef(decodeURIComponentSafe(segment));
    name = ref && !invalidFunctionName(ref.name) ? ref.name : null;
    if (names.size >= 1000) names.clear(); // bounded: a scan of random names cannot grow it
    names.set(segment, name);
  }
  return name;
}

/** Returns the target of an invocation URL, or null when it names no valid function in Skep's namespace. */
export function parseInvokeUrl(url: string, prefix = '/function/'): InvokeTarget | null {
  if (!url.startsWith(prefix)) return null;
  const rest = url.slice(prefix.length);
  let end = rest.length;
  for (let i = 0; i < rest.length; i++) {
    const c = rest.charCodeAt(i);
    if (c === 47 /* / */ || c === 63 /* ? */) {
      end = i;
      break;
    }
  }
  const name = nameOf(rest.slice(0, end));
  if (name === null) return null;
  let path = rest.slice(end);
  if (path === '' || path[0] === '?') path = `/${path}`;
  return { name, path };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
