import { ConfigError } from '../core/model/issues';
import { PropError } from '../../constructs/props';
import { MissingFactError } from '../core/facts/registry';

/**
 * Runs a command body and turns known failures into a readable message and exit code 1. Stack traces
 * are for bugs in Parity, not for bad input, so they are shown only with PARITY_DEBUG=1.
 */
export function runCli(body: () => number | Promise<number>): void {
  Promise.resolve()
    .then(body)
    .then((code) => {
      process.exitCode = code;
    })
    .catch((err: unknown) => {
      if (err instanceof ConfigError || err instanceof PropError || err instanceof MissingFactError) {
        process.stderr.write(`error: ${err.message}\n`);
      } else if (err instanceof Error) {
        process.stderr.write(`error: ${err.message}\n${process.env.PARITY_DEBUG ? `${err.stack}\n` : ''}`);
      } else {
        process.stderr.write(`error: ${String(err)}\n`);
      }
      process.stderr.write('nothing was written.\n');
      process.exitCode = 1;
    });
}
