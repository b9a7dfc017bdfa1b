import { z } from 'zod';
import { arbitexConfigSchema } from './arbitex-platform/config';
import { axiomPlatformConfigSchema } from './axiom-platform/config';
import { axionGenConfigSchema } from './axion-gen/config';
import { llmInferenceConfigSchema } from './llm-inference/config';

/** One entry of an environment's `apps:` list, tagged by `app`. */
export const appConfigSchema = z.discriminatedUnion('app', [arbitexConfigSchema, axionGenConfigSchema, llmInferenceConfigSchema, axiomPlatformConfigSchema]);

export type AppConfig = z.output<typeof appConfigSchema>;
