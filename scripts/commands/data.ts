import type { CommandModule } from 'yargs';
import { ConfigError } from '../../sim/errors.ts';

// Placeholder until the owning change lands in this session; replaced by the real command module.
export const dataCommand: CommandModule = {
  command: 'data',
  describe: '(data: being built)',
  handler: () => {
    throw new ConfigError('data', 'not yet supported in this build');
  },
};
