import type { CommandModule } from 'yargs';
import { ConfigError } from '../../sim/errors.ts';

// Placeholder until the owning change lands in this session; replaced by the real command module.
export const ilCommand: CommandModule = {
  command: 'il',
  describe: '(il: being built)',
  handler: () => {
    throw new ConfigError('il', 'not yet supported in this build');
  },
};
