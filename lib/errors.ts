// One error vocabulary: every error the product raises on purpose has a kind, and each edge maps kinds
// to its own answer in one place (the HTTP status in the router, retry or not in the worker).

export type ErrorKind =
  | 'invalid'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'method_not_allowed'
  | 'conflict'
  | 'too_large'
  | 'too_long'
  | 'throttled'
  | 'unavailable';

/** The HTTP status of each kind: the only place the API maps an error to a status. */
export const HTTP_STATUS: Readonly<Record<ErrorKind, number>> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  conflict: 409,
  too_large: 413,
  too_long: 414,
  throttled: 429,
  unavailable: 503,
};

/**
 * An error with a kind, a message that says what to do, and details a client can act on (`field`,
 * `line`, the current status of a plan…). Subclasses name the domain's errors.
 */
export class PlannerError extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly details: Readonly<Record<string, unknown>> = {},
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** The tenant has used its share of an expensive route for now; `retryAfterSeconds` says when to come back. */
export class TooManyRequestsError extends PlannerError {
  constructor(message: string, retryAfterSeconds: number) {
    super('throttled', message, { retryAfterSeconds });
  }
}

/** The caller is not signed in, or its token is not valid. */
export class UnauthorizedError extends PlannerError {
  constructor(message = 'A valid bearer token is required.') {
    super('unauthenticated', message);
  }
}

/** The caller is signed in and may not do this. */
export class ForbiddenError extends PlannerError {
  constructor(message: string) {
    super('forbidden', message);
  }
}
