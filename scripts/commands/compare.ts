import type { CommandModule } from 'yargs';
import { ConfigError } from '../../sim/errors.ts';

// Placeholder until the owning change lands in this session; replaced by the real command module.
export const compareCommand: CommandModule = {
  command: 'compare',
  describe: '(compare: being built)',
  handler: () => {
    throw new ConfigError('compare', 'not yet supported in this build');
  },
};
