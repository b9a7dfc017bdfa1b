import { show } from '../lib/core/model/issues';

/** Raised by a construct constructor: names the construct, the prop, the value and what would be valid. */
export class PropError extends Error {
  constructor(
    readonly construct: string,
    readonly prop: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    super(`${construct}: prop "${prop}" is ${show(value)}; expected ${expected}`);
    this.name = 'PropError';
  }
}

export function propError(construct: string, prop: string, value: unknown, expected: string): PropError {
  return new PropError(construct, prop, value, expected);
}
