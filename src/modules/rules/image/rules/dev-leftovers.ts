import type { Finding } from '../../../../core/finding.js';
import { DOCKLE, basename, defineMeta, type ImageRule } from '../rule.js';

export const meta = defineMeta({
  id: 'BW-IMG-008',
  title: 'Version-control directory or shell history in the image',
  severity: 'MEDIUM',
  rationale:
    'A .git (or .svn, .hg) directory carries the whole source history, including files and credentials deleted from the working tree; shell and REPL histories record the commands typed during a build or debugging session, often with passwords and tokens on the command line.',
  remediation: 'Add .git and history files to .dockerignore, copy only the build output into the final stage, and never run interactive sessions in a build.',
  references: [DOCKLE, 'https://docs.docker.com/build/concepts/context/#dockerignore-files'],
  aliases: ['DKL-LI-0003'],
});

const VCS_DIRS = new Set(['.git', '.svn', '.hg', '.bzr']);
const HISTORIES = new Set(['.bash_history', '.zsh_history', '.sh_history', '.ash_history', '.history', '.python_history', '.node_repl_history', '.mysql_history', '.psql_history', '.sqlite_history', '.rediscli_history', '.lesshst']);

export const rule: ImageRule = {
  meta,
  check(input, ctx) {
    const out: Finding[] = [];
    for (const e of input.fs.entries()) {
      const name = basename(e.path);
      if (e.type === 'dir' && VCS_DIRS.has(name)) {
        out.push(ctx.finding(meta, { path: e.path, layer: ctx.layer(e.layer) }, `${e.path} is a ${name.slice(1)} repository directory`));
      } else if (e.type === 'file' && e.size > 0 && HISTORIES.has(name)) {
        out.push(ctx.finding(meta, { path: e.path, layer: ctx.layer(e.layer) }, `${e.path} is a command history (${e.size} bytes)`));
      }
    }
    return out;
  },
};
