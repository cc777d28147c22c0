import type { CommandModule } from 'yargs';
import { backtestCommand } from './backtest.ts';
import { replayCommand } from './replay.ts';
import { reportCommand } from './report.ts';
import { compareCommand } from './compare.ts';
import { ilCommand } from './il.ts';
import { dataCommand } from './data.ts';
import { sweepCommand } from './sweep.ts';

/** Every `ammsim` command, in the order `--help` lists them. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const commands: ReadonlyArray<CommandModule<any, any>> = [backtestCommand, compareCommand, sweepCommand, replayCommand, reportCommand, ilCommand, dataCommand];
