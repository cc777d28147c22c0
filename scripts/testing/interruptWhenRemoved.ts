import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';

/**
 * Runs the CLI (from sources, through tsx) with `args` and sends it SIGINT as soon as `watched` is gone: the moment a
 * command has removed a previous run's output and is working. Resolves with whether that moment was seen (the
 * process may end first) and the signal the process ended by.
 */
export async function interruptWhenRemoved(args: readonly string[], watched: string): Promise<{ sawRemoved: boolean; signal: NodeJS.Signals | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/cli.ts', ...args], { stdio: 'ignore' });
  let sawRemoved = false;
  const poll = setInterval(() => {
    if (sawRemoved || existsSync(watched)) return;
    sawRemoved = true;
    child.kill('SIGINT');
  }, 2);
  try {
    const signal = await new Promise<NodeJS.Signals | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', (_code, sig) => resolve(sig));
    });
    return { sawRemoved, signal };
  } finally {
    clearInterval(poll);
  }
}
