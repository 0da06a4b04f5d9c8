/**
 * The one place that talks HTTP to the core: adds the bearer token, turns
 * problem+json answers into {@link ApiError}s and reports 401s (expired or revoked
 * session) to whoever listens, so that the app can send the user back to the login.
 */

export interface FieldError {
  field: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;
  readonly errors: FieldError[];

  constructor(status: number, title: string, detail?: string, errors: FieldError[] = []) {
    super(detail || title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;
    this.title = title;
    this.errors = errors;
  }

  /**
   * The endpoint exists but the thing asked for does not (unknown or deleted id): the core
   * says "<what> not found", where an unknown path says "No such resource".
   */
  get missing(): boolean {
    return this.status === 404 && / not found$/.test(this.message);
  }

  /** The endpoint does not exist: its module is not installed in the core. */
  get notInstalled(): boolean {
    return this.status === 404 && !this.missing;
  }
}

type UnauthorizedListener = () => void;

let token: string | null = null;
const listeners = new Set<UnauthorizedListener>();

export function setToken(value: string | null): void {
  token = value;
}

export function getToken(): string | null {
  return token;
}

/** Called on every 401 answered to an authenticated call; returns an unsubscribe function. */
export function onUnauthorized(listener: UnauthorizedListener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  /** Raw body (e.g. a File) sent with this content type instead of JSON. */
  raw?: { data: Blob | ArrayBuffer; contentType: string };
  query?: Record<string, string | number | boolean | null | undefined>;
  signal?: AbortSignal;
}

export function buildUrl(path: string, query?: RequestOptions['query']): string {
  let url = path.startsWith('/api/') ? path : `/api/v1${path}`;
  if (query) {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) {
      if (v !== null && v !== undefined && v !== '') params.append(k, String(v));
    }
    const qs = params.toString();
    if (qs) url += (url.includes('?') ? '&' : '?') + qs;
  }
  return url;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json, application/problem+json' };
  let body: BodyInit | undefined;
  if (options.raw) {
    headers['Content-Type'] = options.raw.contentType;
    body = options.raw.data;
  } else if (options.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(options.body);
  }
  const sentToken = token;
  if (sentToken) headers.Authorization = `Bearer ${sentToken}`;
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options.query), {
      method: options.method ?? (body === undefined ? 'GET' : 'POST'),
      headers,
      body,
      signal: options.signal,
      credentials: 'omit',
    });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'Network error', 'The core cannot be reached. Check the connection and try again.');
  }
  if (response.status === 401 && sentToken) {
    listeners.forEach((l) => l());
  }
  if (!response.ok) {
    throw await toError(response);
  }
  if (response.status === 204) return undefined as T;
  const type = response.headers.get('Content-Type') ?? '';
  if (!type.includes('json')) return (await response.text()) as T;
  return (await response.json()) as T;
}

async function toError(response: Response): Promise<ApiError> {
  const type = response.headers.get('Content-Type') ?? '';
  if (type.includes('json')) {
    try {
      const p = await response.json();
      const errors: FieldError[] = Array.isArray(p?.errors)
        ? p.errors.filter((e: unknown): e is FieldError => typeof (e as FieldError)?.field === 'string')
        : [];
      return new ApiError(response.status, p?.title ?? response.statusText, p?.detail, errors);
    } catch {
      // fall through
    }
  }
  const fallback: Record<number, string> = {
    401: 'Your session has expired; sign in again.',
    403: 'Your role does not allow this.',
    404: 'Not found.',
    429: 'Too many attempts; wait a moment and try again.',
    502: 'The agent answered with an error.',
    503: 'The core is not ready yet.',
    504: 'The agent did not answer in time.',
  };
  return new ApiError(response.status, response.statusText, fallback[response.status]);
}
