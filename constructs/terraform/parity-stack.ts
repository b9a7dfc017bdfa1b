import { Construct } from 'constructs';
import { TerraformStack } from '../../lib/core/facade/tf';
import { Environment } from '../../lib/core/model/schema';
import { configureStateBackend } from './state-backend';

export interface ParityStackProps {
  readonly env: Environment;
  /** Short id within the environment, e.g. "network"; the Terraform stack is named `<env>-<id>`. */
  readonly stackId: string;
  readonly description: string;
  /**
   * The stack talks to the cluster's private endpoints (the API server, Vault through a port-forward, a
   * private Key Vault): it must run from a runner inside the environment's network.
   * @default false (anywhere with the provider's credentials)
   */
  readonly fromNetwork?: boolean;
  /** Commands that show the step worked, for DEPLOY.md. @default [] */
  readonly checks?: ReadonlyArray<string>;
}

/** A Terraform stack of one environment, with its remote state configured from the environment file. */
export class ParityStack extends TerraformStack {
  readonly env: Environment;
  readonly stackId: string;
  readonly description: string;
  readonly fromNetwork: boolean;
  readonly checks: ReadonlyArray<string>;

  constructor(scope: Construct, props: ParityStackProps) {
    super(scope, `${props.env.name}-${props.stackId}`);
    this.env = props.env;
    this.stackId = props.stackId;
    this.description = props.description;
    this.fromNetwork = props.fromNetwork ?? false;
    this.checks = props.checks ?? [];
    configureStateBackend(this, props.env.stateBackend, props.env.name, props.stackId);
  }

  /** The name `cdktf deploy` takes. */
  get deployName(): string {
    return this.node.id;
  }

  /** Tags every taggable resource gets, so cost and ownership reports can find the environment. */
  get defaultTags(): Record<string, string> {
    return { 'parity:environment': this.env.name, 'parity:stack': this.stackId, 'managed-by': 'parity', ...this.env.tags };
  }
}
