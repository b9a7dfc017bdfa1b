import { z } from 'zod';
import { arbitexConfigSchema } from './arbitex-platform';
import { axiomPlatformConfigSchema } from './axiom-platform';
import { axionGenConfigSchema } from './axion-gen';
import { githubRunnersConfigSchema } from './github-runners';
import { keycloakConfigSchema } from './keycloak';
import { metaflowConfigSchema } from './metaflow';
import { gatusConfigSchema } from './gatus';
import { n8nConfigSchema } from './n8n';
import { listmonkConfigSchema } from './listmonk';
import { mlflowConfigSchema } from './mlflow';
import { glitchtipConfigSchema } from './glitchtip';
import { harborConfigSchema } from './harbor';
import { llmInferenceConfigSchema } from './llm-inference';
import { renovateConfigSchema } from './renovate';
import { matomoConfigSchema } from './matomo';

/** One entry of an environment's `apps:` list, tagged by `app`. */
export const appConfigSchema = z.discriminatedUnion('app', [
  arbitexConfigSchema,
  axionGenConfigSchema,
  llmInferenceConfigSchema,
  axiomPlatformConfigSchema,
  keycloakConfigSchema,
  githubRunnersConfigSchema,
  mlflowConfigSchema,
  metaflowConfigSchema,
  gatusConfigSchema,
  n8nConfigSchema,
  listmonkConfigSchema,
  glitchtipConfigSchema,
  harborConfigSchema,
  renovateConfigSchema,
  matomoConfigSchema,
]);

export type AppConfig = z.output<typeof appConfigSchema>;
