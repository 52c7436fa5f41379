/**
 * The SSH daemon's effective global settings from /etc/ssh/sshd_config and the files it Includes
 * (Debian and Fedora include /etc/ssh/sshd_config.d/*.conf first). As in OpenSSH, the first value of a
 * keyword wins; lines inside a Match block only apply to some connections and are not global.
 */
import { posix } from 'node:path';
import type { HostView } from '../../../../host/types.js';
import { readText } from '../section1/define.js';

export const SSHD_CONFIG = '/etc/ssh/sshd_config';
const MAX_INCLUDE_DEPTH = 16;

export interface SshdSetting {
  value: string;
  /** "file:line". */
  at: string;
}

export interface SshdConfig {
  /** Lower-case keyword -> first global value. */
  settings: Map<string, SshdSetting>;
  files: string[];
}

function globToRegExp(glob: string): RegExp {
  return new RegExp(`^${glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]')}$`);
}

/** Include arguments: absolute, or relative to /etc/ssh; "*" and "?" in the last component. Sorted, as glob(3) returns them. */
async function expandInclude(view: HostView, pattern: string): Promise<string[]> {
  const path = pattern.startsWith('/') ? pattern : `/etc/ssh/${pattern}`;
  if (!/[*?]/.test(posix.basename(path))) return [path];
  const dir = posix.dirname(path);
  const re = globToRegExp(posix.basename(path));
  return ((await view.readdir(dir)) ?? []).filter((n) => re.test(n)).sort().map((n) => `${dir}/${n}`);
}

export async function readSshdConfig(view: HostView): Promise<SshdConfig | undefined> {
  const main = await readText(view, SSHD_CONFIG);
  if (main === undefined) return undefined;
  const config: SshdConfig = { settings: new Map(), files: [] };
  await apply(view, SSHD_CONFIG, main, config, 0);
  return config;
}

async function apply(view: HostView, file: string, text: string, config: SshdConfig, depth: number): Promise<void> {
  config.files.push(file);
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '' || line.startsWith('#')) continue;
    const m = /^(\S+?)(?:\s*=\s*|\s+)(.*)$/.exec(line);
    if (!m) continue;
    const keyword = m[1]!.toLowerCase();
    const value = m[2]!.replace(/\s+#.*$/, '').trim();
    // Everything after a Match line is conditional, to the end of this file.
    if (keyword === 'match') return;
    if (keyword === 'include') {
      if (depth >= MAX_INCLUDE_DEPTH) continue;
      for (const pattern of value.split(/\s+/)) {
        for (const path of await expandInclude(view, pattern)) {
          const included = await readText(view, path);
          if (included !== undefined) await apply(view, path, included, config, depth + 1);
        }
      }
      continue;
    }
    if (!config.settings.has(keyword)) config.settings.set(keyword, { value: value.replace(/^"(.*)"$/, '$1'), at: `${file}:${i + 1}` });
  }
}

/** A setting's value, or OpenSSH's default (marked as such). */
export function sshdValue(config: SshdConfig, keyword: string, fallback: string): SshdSetting & { isDefault: boolean } {
  const s = config.settings.get(keyword.toLowerCase());
  return s ? { ...s, value: s.value.toLowerCase(), isDefault: false } : { value: fallback, at: 'default', isDefault: true };
}
