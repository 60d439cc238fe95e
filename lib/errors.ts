import { IConstruct } from 'constructs';

const VALIDATION_ERROR = Symbol.for('cdk8s-argocd.ValidationError');

/**
 * The error the library throws for invalid input, at construction or at synthesis.
 *
 * Its message names the construct path (when there is one), the field, the bad value and what is
 * allowed, for example:
 * `[app/api] spec.syncPolicy.retry.limit -1.5 is not an integer; use a whole number`.
 */
export class ValidationError extends Error {
  /**
   * Whether `x` is a `ValidationError`, also across two copies of this library.
   *
   * @param x any value
   */
  public static isValidationError(x: any): boolean {
    return x !== null && typeof x === 'object' && VALIDATION_ERROR in x;
  }

  /**
   * The construct path the error is about, when there is one.
   */
  public readonly constructPath?: string;

  /**
   * @param message the message, without the construct path
   * @param scope the construct the error is about
   */
  constructor(message: string, scope?: IConstruct) {
    const path = scope?.node.path;
    super(path ? `[${path}] ${message}` : message);
    this.name = 'ValidationError';
    this.constructPath = path;
    Object.defineProperty(this, VALIDATION_ERROR, { value: true });
  }
}

/**
 * Helpers for recognising the library's errors.
 *
 * The error class itself, `ValidationError`, is a plain JavaScript `Error` subclass; TypeScript
 * users can import it from `cdk8s-argocd/build/lib/errors` for `instanceof` checks.
 */
export class Errors {
  /**
   * Whether `x` is an error the library threw for invalid input (a `ValidationError`).
   *
   * @param x any value
   */
  public static isValidationError(x: any): boolean {
    return ValidationError.isValidationError(x);
  }

  private constructor() {}
}
