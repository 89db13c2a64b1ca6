// The CLI's HTTP client for the planner API (the local server or a deployed API Gateway URL).
export class ApiCallError extends Error {
  constructor(readonly status: number, message: string) {
    super(message);
    this.name = 'ApiCallError';
  }
}

export interface ApiClientOptions {
  baseUrl: string;
  token: string;
}

export async function apiCall(options: ApiClientOptions, method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<any> {
  let response: Response;
  try {
    response = await fetch(`${options.baseUrl.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${options.token}`, 'content-type': contentType },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  } catch (error) {
    throw new ApiCallError(0, `Cannot reach ${options.baseUrl} (${(error as Error).message}). Is "npm run serve" running, or is --api right?`);
  }
  const text = await response.text();
  const parsed = text ? (JSON.parse(text) as { error?: string }) : {};
  if (!response.ok) throw new ApiCallError(response.status, `${response.status}: ${parsed.error ?? text}`);
  return parsed;
}
