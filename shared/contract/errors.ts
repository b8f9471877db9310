import { z } from 'zod';

export const ERROR_CODES = ['bad_request', 'not_found', 'unavailable', 'conflict', 'cancelled', 'failed', 'internal'] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export const errorBody = z.object({
  code: z.enum(ERROR_CODES),
  message: z.string(),
  /** The next step for the technician, in plain words. */
  hint: z.string().optional(),
});
export type ErrorBody = z.infer<typeof errorBody>;

/** The one error type that crosses the contract: services throw it, clients receive it. */
export class FieldkitError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'FieldkitError';
  }

  toBody(): ErrorBody {
    return this.hint === undefined ? { code: this.code, message: this.message } : { code: this.code, message: this.message, hint: this.hint };
  }

  static fromBody(body: ErrorBody): FieldkitError {
    return new FieldkitError(body.code, body.message, body.hint);
  }
}
