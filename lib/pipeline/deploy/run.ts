import { spawn } from 'child_process';
import * as net from 'net';
import { DeployStep, PersonInput } from './plan';
import { VAULT_PORT_FORWARD } from '../../core/vault-naming';

/** How the runner starts processes: the real one spawns them; tests record what would run. */
export interface DeployRuntime {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Runs a command to completion with the terminal attached; resolves to its exit code. */
  run(command: string, args: ReadonlyArray<string>): Promise<number>;
  /** Starts a long-running helper (the Vault port-forward) and waits until it serves; returns a stop function. */
  background(command: string, args: ReadonlyArray<string>, readyPort: number): Promise<() => void>;
  log(line: string): void;
}

/** Resolves once something listens on 127.0.0.1:port, or rejects after 30 s. */
function listening(port: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  return new Promise((resolve, reject) => {
    const attempt = () => {
      const socket = net.connect(port, '127.0.0.1', () => {
        socket.end();
        resolve();
      });
      socket.on('error', () =>
        Date.now() > deadline ? reject(new Error(`nothing listens on 127.0.0.1:${port} after 30 s`)) : setTimeout(attempt, 500),
      );
    };
    attempt();
  });
}

/** The real runtime of the deploy and restore-drill commands: processes with the terminal attached. */
export function processRuntime(): DeployRuntime {
  return {
    env: process.env,
    run: (command, args) =>
      new Promise((resolve) => {
        spawn(command, [...args], { stdio: 'inherit', env: { ...process.env, CHECKPOINT_DISABLE: '1' } }).on('exit', (code) => resolve(code ?? 1));
      }),
    background: async (command, args, port) => {
      const child = spawn(command, [...args], { stdio: 'ignore' });
      await listening(port);
      return () => child.kill();
    },
    log: (line) => console.log(line),
  };
}

export interface DeployOptions {
  /** 1-based step to start at (after a manual step). @default 1 */
  readonly from?: number;
  /** Stop after this step. @default the last */
  readonly to?: number;
}

/** Inputs the runner can see in its environment: variables, by name. Logins (aws, az) are the CLIs' business. */
function missing(inputs: ReadonlyArray<PersonInput>, env: DeployRuntime['env']): PersonInput[] {
  return inputs.filter((i) => /^[A-Za-z_][A-Za-z0-9_]*$/.test(i.name) && !env[i.name]);
}

/**
 * Runs the deploy plan in order from `from`: checks each Terraform step's inputs before it starts, opens
 * the Vault port-forward for the steps whose provider is Vault, runs `cdktf deploy`, and stops at a
 * manual step with its commands and the way to resume. Resolves to the exit code.
 */
export async function runDeploy(
  envName: string,
  steps: ReadonlyArray<DeployStep>,
  needsVault: (stackId: string) => boolean,
  rt: DeployRuntime,
  opts: DeployOptions = {},
): Promise<number> {
  const from = opts.from ?? 1;
  const to = opts.to ?? steps.length;
  if (!Number.isInteger(from) || from < 1 || from > steps.length) {
    rt.log(`--from: found ${from}; expected a step from 1 to ${steps.length} (see dist/${envName}/DEPLOY.md)`);
    return 2;
  }
  for (let n = from; n <= to; n++) {
    const step = steps[n - 1];
    rt.log(`step ${n}/${steps.length}: ${step.title}`);
    if (step.manual) {
      rt.log('a manual step; run:');
      for (const c of step.commands) rt.log(`  ${c}`);
      rt.log(`then resume with: npm run deploy -- --env ${envName} --from ${n + 1}`);
      return 0;
    }
    const absent = missing(step.inputs, rt.env);
    if (absent.length) {
      rt.log(`step ${n} needs inputs that are not set:`);
      for (const i of absent) rt.log(`  ${i.name}: ${i.what}  (${i.supply})`);
      return 1;
    }
    const stop = step.stackId && needsVault(step.stackId) ? await rt.background(VAULT_PORT_FORWARD[0], VAULT_PORT_FORWARD.slice(1), 8200) : undefined;
    try {
      const code = await rt.run('npx', ['cdktf', 'deploy', step.stack!]);
      if (code !== 0) {
        rt.log(`step ${n} failed (exit ${code}); fix it and resume with: npm run deploy -- --env ${envName} --from ${n}`);
        return code;
      }
    } finally {
      stop?.();
    }
  }
  rt.log(to === steps.length ? `${envName} deployed: every step done` : `stopped after step ${to}`);
  return 0;
}
