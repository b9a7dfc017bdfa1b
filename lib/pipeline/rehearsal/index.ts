import { terraformStacks } from '../guardrails/check';
import { Finding } from '../guardrails/finding';
import { SynthResult } from '../synth/pipeline';
import { rehearse } from './rehearse';

export { REHEARSAL_RULES } from './rules';
export { rehearse } from './rehearse';

/** The deploy rehearsal of every synthesized environment, with its own duration. */
export function rehearseAll(result: SynthResult): { findings: Finding[]; durationMs: number } {
  const started = process.hrtime.bigint();
  const findings = result.models.flatMap((model) => {
    const stacks = terraformStacks(result.files, model.env.name);
    return rehearse({ model, objects: result.objects.get(model.env.name) ?? [], stacks, files: result.files });
  });
  return { findings, durationMs: Number(process.hrtime.bigint() - started) / 1e6 };
}
