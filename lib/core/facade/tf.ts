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
