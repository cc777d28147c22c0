import type { CommandModule } from 'yargs';
import { ConfigError } from '../../sim/errors.ts';

// Placeholder until the owning change lands in this session; replaced by the real command module.
export const replayCommand: CommandModule = {
  command: 'replay',
  describe: '(replay: being built)',
  handler: () => {
    throw new ConfigError('replay', 'not yet supported in this build');
  },
};
