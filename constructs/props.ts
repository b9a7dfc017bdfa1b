import { Construct } from 'constructs';
import { show } from '../lib/core/model/issues';

/**
 * Raised by a construct's constructor: names the construct (its class and path in the tree), the
 * prop, the value found and what would be valid.
 */
export class PropError extends Error {
  readonly construct: string;
  constructor(
    where: Construct | string,
    readonly prop: string,
    readonly value: unknown,
    readonly expected: string,
  ) {
    const construct = typeof where === 'string' ? where : `${where.constructor.name} at ${where.node.path}`;
    super(`${construct}: prop "${prop}" is ${show(value)}; expected ${expected}`);
    this.construct = construct;
    this.name = 'PropError';
  }
}

/** A PropError for `where`: the construct being built (preferred), or the name of a helper's caller. */
export function propError(where: Construct | string, prop: string, value: unknown, expected: string): PropError {
  return new PropError(where, prop, value, expected);
}
