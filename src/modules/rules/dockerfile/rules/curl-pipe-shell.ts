import { CIS_DOCKER, defineMeta, runRule } from '../rule.js';
import { SHELLS } from '../shell.js';

export const meta = defineMeta({
  id: 'BW-DF-003',
  title: 'Remote script piped into a shell',
  severity: 'HIGH',
  rationale:
    '`curl ... | sh` runs whatever the server (or anyone on the path) sends at build time, unverified; a partial download may even run half a script.',
  remediation:
    'Download to a file, verify its checksum or signature (`sha256sum -c`), then run it; or install the tool from a package repository with signed metadata.',
  references: ['https://docs.docker.com/build/building/best-practices/#run', CIS_DOCKER],
  aliases: ['CIS-DOCKER-4.11'],
});

const FETCHERS = new Set(['curl', 'wget']);
const INTERPRETERS = new Set([...SHELLS, 'python', 'python3', 'perl', 'ruby', 'node']);
const SUBSTITUTED_FETCH = /(\$\(|<\(|`)\s*(sudo\s+)?(curl|wget)\b/;

export const rule = runRule(meta, (script) => {
  for (const p of script.pipelines) {
    const fetch = p.commands.findIndex((c) => FETCHERS.has(c.name));
    if (fetch >= 0 && p.commands.slice(fetch + 1).some((c) => INTERPRETERS.has(c.name))) {
      return `${p.commands[fetch]?.name} output is piped into a shell`;
    }
  }
  for (const c of script.commands) {
    if ((INTERPRETERS.has(c.name) || c.name === 'source' || c.name === '.') && c.args.some((a) => SUBSTITUTED_FETCH.test(a))) {
      return `${c.name} runs a script fetched by ${SUBSTITUTED_FETCH.exec(c.args.find((a) => SUBSTITUTED_FETCH.test(a)) ?? '')?.[3]}`;
    }
  }
  return null;
});
