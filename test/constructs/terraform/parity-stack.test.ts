import { ParityStack } from '../../../constructs/terraform/parity-stack';
import { TerraformApp, TerraformTesting } from '../../../lib/core/facade/tf';
import { environmentSchema } from '../../../lib/core/model/schema';
import { exampleEnvironment } from '../../helpers';

describe('ParityStack', () => {
  const env = environmentSchema.parse(exampleEnvironment('dev'));

  it('is named <env>-<stack>, keeps its state in the environment’s backend under its own key, and tags with environment and stack', () => {
    const stack = new ParityStack(new TerraformApp({ outdir: '/tmp/parity-unused' }), { env, stackId: 'network', description: 'VPC' });
    expect(stack.node.id).toBe('dev-network');
    const json = JSON.parse(TerraformTesting.synth(stack));
    expect(Object.keys(json.terraform.backend)).toEqual([env.stateBackend.kind]);
    expect(JSON.stringify(json.terraform.backend)).toContain('dev/network.tfstate');
    expect(stack.defaultTags).toMatchObject({ 'parity:environment': 'dev', 'parity:stack': 'network', 'managed-by': 'parity' });
  });
});
