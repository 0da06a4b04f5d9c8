import type { FieldError } from '../api/http';

/**
 * Places the API's field errors (`upstream.targets[1].port`, `domains[2]`,
 * `containers.env.FOO`) on the form inputs that exist: the exact path when there is such
 * an input, else its nearest parent (`domains`, `containers.env`). What matches no input
 * is returned under the empty key, to be shown at the top of the form.
 */
export function placeErrors(errors: FieldError[], inputs: Iterable<string>): Record<string, string[]> {
  const known = new Set(inputs);
  const placed: Record<string, string[]> = {};
  for (const e of errors) {
    const key = nearest(e.field, known);
    const message = key === e.field || key === '' ? e.message : `${describe(e.field, key)}${e.message}`;
    (placed[key] ??= []).push(key === '' && e.field ? `${e.field}: ${e.message}` : message);
  }
  return placed;
}

/** The input key that shows an error for `field`, or '' when no input matches. */
export function nearest(field: string, known: Set<string>): string {
  let candidate = field;
  while (candidate) {
    if (known.has(candidate)) return candidate;
    const cut = Math.max(candidate.lastIndexOf('.'), candidate.lastIndexOf('['));
    if (cut <= 0) break;
    candidate = candidate.slice(0, cut);
  }
  return '';
}

/** "domains[2]" under "domains" → "line 3: "; "containers.env.FOO" → "FOO: ". */
function describe(field: string, parent: string): string {
  const rest = field.slice(parent.length);
  const index = /^\[(\d+)](.*)$/.exec(rest);
  if (index) return `entry ${Number(index[1]) + 1}${index[2] ? ` ${index[2].replace(/^\./, '')}` : ''}: `;
  return `${rest.replace(/^\./, '')}: `;
}

/** A stable DOM id for an input key (ids may not contain [ ] .). */
export function inputId(key: string): string {
  return 'f-' + key.replace(/[^A-Za-z0-9_-]/g, '_');
}
