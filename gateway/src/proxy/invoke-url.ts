/** Parsing of `/function/<name>[.<namespace>][/sub/path][?query]` into the function name and the upstream path. */
import { invalidFunctionName, splitFunctionRef } from '../../../common/src/names';

/** The function a URL calls and the path (with query) its watchdog receives. */
export interface InvokeTarget {
  name: string;
  path: string;
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
  const ref = splitFunctionRef(decodeURIComponentSafe(rest.slice(0, end)));
  if (!ref || invalidFunctionName(ref.name)) return null;
  let path = rest.slice(end);
  if (path === '' || path[0] === '?') path = `/${path}`;
  return { name: ref.name, path };
}

function decodeURIComponentSafe(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}
