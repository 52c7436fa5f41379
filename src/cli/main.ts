#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { isBulwarkError } from '../core/errors.js';
import { toolVersion } from '../core/version.js';
import { dbCommand } from './db-command.js';
import { fsCommand } from './fs-command.js';
import { imageCommand } from './image-command.js';
import { dockerfileCommand } from './dockerfile-command.js';
import { rulesCommand } from './rules-command.js';
import { hostCommand } from './host-command.js';
import { k8sCommand } from './k8s-command.js';
import { cloudCommand } from './cloud-command.js';
import { registryCommand } from './registry-command.js';
import { runtimeCommand } from './runtime-command.js';

function fail(message: string, code: number): never {
  process.stderr.write(`bulwark: error: ${message.split('\n')[0]}\n`);
  process.exit(code);
}

function report(e: unknown): never {
  if (e instanceof CommanderError) {
    // Help was printed (asked for, or a command group called without a subcommand): nothing to add.
    if (e.exitCode === 0 || e.code === 'commander.help') process.exit(e.exitCode === 0 ? 0 : 2);
    fail(e.message.replace(/^error: /, ''), 2);
  }
  if (isBulwarkError(e)) fail(e.message, e.exitCode);
  if (process.env.BULWARK_DEBUG) console.error(e);
  fail(`unexpected failure: ${(e as Error)?.message ?? String(e)}`, 2);
}

// A reader that stops early (`bulwark ... | head`) is not a failure of ours.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  report(e);
});

// A stream failing outside an awaited promise must still end in one line and exit code 2.
process.on('uncaughtException', report);
process.on('unhandledRejection', report);

const program = new Command('bulwark')
  .description('Secure every layer of a container estate: images, registries, runtime, orchestrator, host')
  .version(toolVersion())
  // Options after a subcommand belong to it (`bulwark k8s verify-binaries DIR --exit-code 1`), not to its parent.
  .enablePositionalOptions()
  .exitOverride()
  .configureOutput({ outputError: () => {} })
  .addCommand(imageCommand().exitOverride().configureOutput({ outputError: () => {} }))
  .addCommand(fsCommand().exitOverride().configureOutput({ outputError: () => {} }))
  .addCommand(dockerfileCommand().exitOverride().configureOutput({ outputError: () => {} }))
  .addCommand(hostCommand().exitOverride().configureOutput({ outputError: () => {} }))
  .addCommand(k8sCommand().exitOverride().configureOutput({ outputError: () => {} }))
  .addCommand(cloudCommand().exitOverride().configureOutput({ outputError: () => {} }))
  .addCommand(registryCommand().exitOverride().configureOutput({ outputError: () => {} }))
  .addCommand(runtimeCommand().exitOverride().configureOutput({ outputError: () => {} }))
  .addCommand(rulesCommand().exitOverride().configureOutput({ outputError: () => {} }))
  .addCommand(dbCommand().exitOverride().configureOutput({ outputError: () => {} }));

try {
  await program.parseAsync(process.argv);
} catch (e) {
  report(e);
}
