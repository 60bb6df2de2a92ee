/** The API client of the web app: same origin, the session cookie, the CSRF header on writes, the user's language. */
let language = 'vi';
export function setApiLanguage(lang: string): void {
  language = lang;
}

export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: string[] = [],
  ) {
    super(message);
  }
}

function csrfToken(): string | null {
  const match = /(?:^|;\s*)peh_csrf=([^;]*)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1]) : null;
}

function messageOf(body: unknown, status: number): { message: string; details: string[] } {
  if (body && typeof body === 'object' && 'message' in body) {
    const m = (body as { message: unknown }).message;
    if (Array.isArray(m)) return { message: m.map(String).join('; '), details: m.map(String) };
    if (typeof m === 'string') return { message: m, details: [m] };
  }
  return { message: `HTTP ${status}`, details: [] };
}

export async function apiFetch(path: string, init: RequestInit = {}): Promise<Response> {
  const method = (init.method ?? 'GET').toUpperCase();
  const headers = new Headers(init.headers);
  headers.set('Accept-Language', language);
  if (!headers.has('Accept')) headers.set('Accept', 'application/json');
  if (method !== 'GET' && method !== 'HEAD') {
    const csrf = csrfToken();
    if (csrf) headers.set('X-CSRF-Token', csrf);
  }
  const response = await fetch(path, { ...init, method, headers, credentials: 'same-origin' });
  if (!response.ok) {
    const body = await response.json().catch(() => null);
    const { message, details } = messageOf(body, response.status);
    if (response.status === 401 && !path.startsWith('/auth/')) window.dispatchEvent(new Event('peh:signed-out'));
    throw new ApiError(response.status, message, details);
  }
  return response;
}

export async function apiGet<T>(path: string): Promise<T> {
  return (await apiFetch(path)).json() as Promise<T>;
}

export async function apiSend<T>(method: 'POST' | 'PATCH' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<T> {
  const init: RequestInit = { method };
  if (body instanceof FormData) init.body = body;
  else if (body !== undefined) {
    init.body = JSON.stringify(body);
    init.headers = { 'Content-Type': 'application/json' };
  }
  const response = await apiFetch(path, init);
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

export const q = encodeURIComponent;
