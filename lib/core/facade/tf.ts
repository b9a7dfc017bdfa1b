/**
 * The only module that imports `cdktf` directly. cdktf was archived upstream (Dec 2025); a move to the
 * community fork is a change of this file, not of every construct.
 */
export {
  App as TerraformApp,
  TerraformStack,
  TerraformOutput,
  TerraformProvider,
  TerraformResource,
  TerraformVariable,
  S3Backend,
  AzurermBackend,
  PgBackend,
  LocalBackend,
  Fn,
  Op,
  Testing as TerraformTesting,
} from 'cdktf';
export type { ITerraformDependable, TerraformMetaArguments } from 'cdktf';

import type { TerraformMetaArguments } from 'cdktf';

/** Meta-arguments a hand-written resource class passes through to cdktf (provider, depends_on, ...). */
export function metaArguments(props: TerraformMetaArguments): TerraformMetaArguments {
  return { provider: props.provider, dependsOn: props.dependsOn, count: props.count, lifecycle: props.lifecycle, forEach: props.forEach };
}

/**
 * cdktf records where every token was created (each Lazy and intrinsic captures a full stack trace into
 * a plain object and formats it), only to quote it if the token later fails to resolve. Formatting those
 * traces was about 4% of a synth. Traces captured into anything but an Error are left unformatted; an
 * Error's stack is formatted by whatever formatted it before (Node's own, a test runner's), so real
 * failures keep theirs.
 */
const formatErrorStack = Error.prepareStackTrace;
Error.prepareStackTrace = (error: unknown, frames: NodeJS.CallSite[]) => {
  if (!(error instanceof Error)) return '';
  return formatErrorStack ? formatErrorStack(error, frames) : [String(error), ...frames.map((f) => `    at ${f}`)].join('\n');
};
