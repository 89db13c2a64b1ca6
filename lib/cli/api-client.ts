// The CLI's HTTP client for the planner API (the local server or a deployed API Gateway URL).
class ApiCallError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  /** The bearer token, or how to get it (a stored session refreshes it). */
  token: string | (() => Promise<string>);
}

/** Calls the API; `T` is the route's documented answer (docs/api.md), trusted as the server's own contract. */
export async function apiCall<T = unknown>(
  options: ApiClientOptions,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<T> {
  return (await apiExchange<T>(options, method, path, body, contentType)).body;
}

/** As apiCall, with the answer's headers (`first-day`, `warnings`…). */
export async function apiExchange<T = unknown>(
  options: ApiClientOptions,
  method: string,
  path: string,
  body?: unknown,
  contentType = 'application/json',
): Promise<{ body: T; headers: Headers }> {
  const token = typeof options.token === 'string' ? options.token : await options.token();
  let response: Response;
  try {
    response = await fetch(`${options.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': contentType },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiCallError(
      0,
      `Cannot reach ${options.baseUrl} (${(error as Error).message}). Is "npm run serve" running, or is --api right?`,
    );
  }
  const text = await response.text();
  if (!(response.headers.get('content-type') ?? '').startsWith('application/json') && response.ok)
    return { body: text as T, headers: response.headers };
  const parsed = text ? (JSON.parse(text) as { error?: string }) : {};
  if (!response.ok) throw new ApiCallError(response.status, `${response.status}: ${parsed.error ?? text}`);
  return { body: parsed as T, headers: response.headers };
}

/** A GET of a text document (CSV): its text. */
export async function apiText(options: ApiClientOptions, path: string): Promise<string> {
  return (await apiExchange<string>(options, 'GET', path)).body;
}

/** What an import did not refuse but a person should know, on stderr: its warnings and what a first day planned. */
export function sayAside(headers: Headers, warnings: readonly string[] = []): void {
  const all = [...warnings, ...(headers.get('warnings')?.split(' | ') ?? [])];
  for (const warning of all) console.error(`Warning: ${warning}`);
  const firstDay = headers.get('first-day');
  if (firstDay) console.error(`First day: ${firstDay}`);
}
