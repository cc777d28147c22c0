import type { CommandModule } from 'yargs';
import { ConfigError } from '../../sim/errors.ts';

// Placeholder until the owning change lands in this session; replaced by the real command module.
export const reportCommand: CommandModule = {
  command: 'report',
  describe: '(report: being built)',
  handler: () => {
    throw new ConfigError('report', 'not yet supported in this build');
  },
};
