// Face-neutral errors raised by the store and calendar operations. Each face turns them into
// its provider's error shape (Google's error.errors[], Graph's error.code, the admin's field).

/** Bad input: `field` names the offending field so every face can point at it. */
export class ValidationError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

export class NotFoundError extends Error {}

/** The caller may not do this (e.g. edit an event on someone else's calendar). */
export class ForbiddenError extends Error {}

/** A conflicting precondition, e.g. a duplicate id. */
export class ConflictError extends Error {}

/** The resource existed and was deleted (Google answers 410 "deleted"). */
export class GoneError extends Error {}
