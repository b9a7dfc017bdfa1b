import { PlatformApp } from './app';
import { arbitexPlatform } from './arbitex-platform';
import { axiomPlatform } from './axiom-platform';
import { axionGen } from './axion-gen';
import { AppConfig } from './config';
import { llmInference } from './llm-inference';

type AppFor<K extends AppConfig['app']> = PlatformApp<Extract<AppConfig, { app: K }>>;

const APPS: { [K in AppConfig['app']]: AppFor<K> } = {
  'arbitex-platform': arbitexPlatform,
  'axion-gen': axionGen,
  'llm-inference': llmInference,
  'axiom-platform': axiomPlatform,
};

/** The implementation of an app entry, typed to its config. */
export function appFor<C extends AppConfig>(config: C): PlatformApp<C> {
  return APPS[config.app] as unknown as PlatformApp<C>;
}
