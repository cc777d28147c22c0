import type { CommandModule } from 'yargs';
import { ConfigError } from '../../sim/errors.ts';

// Placeholder until the owning change lands in this session; replaced by the real command module.
export const backtestCommand: CommandModule = {
  command: 'backtest',
  describe: '(backtest: being built)',
  handler: () => {
    throw new ConfigError('backtest', 'not yet supported in this build');
  },
};
