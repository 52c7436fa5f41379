/** Gemfile.lock as Bundler writes it: sections (GEM, GIT, PATH) whose `specs:` list `    name (version[-platform])`. */
export interface LockedGem {
  name: string;
  version: string;
  platform?: string;
}

const SECTIONS = new Set(['GEM', 'GIT', 'PATH', 'PLUGIN SOURCE']);
const SPEC = /^ {4}([^\s(]+) \(([^)\s]+)\)$/;
/** Platform suffixes Bundler appends to a version: `1.15.4-x86_64-linux`, `1.2.3-java`. */
const PLATFORM = /^(.+?)-((?:x86|x64|x86_64|i[3-6]86|aarch64|arm64|arm|universal|java|jruby|mingw|mswin|mswin64|darwin|linux|ppc|powerpc|s390x?|riscv64|wasm|x64-mingw|sparc)(?:[-_.][\w.-]*)?)$/;

export function parseGemfileLock(text: string): LockedGem[] | string {
  const gems = new Map<string, LockedGem>();
  let section = '';
  let inSpecs = false;
  let sawSection = false;
  for (const raw of text.split(/\r?\n/)) {
    if (raw === '') continue;
    if (!raw.startsWith(' ')) {
      section = raw.trim();
      sawSection ||= SECTIONS.has(section) || section === 'DEPENDENCIES' || section === 'PLATFORMS';
      inSpecs = false;
      continue;
    }
    if (!SECTIONS.has(section)) continue;
    if (/^ {2}specs:$/.test(raw)) {
      inSpecs = true;
      continue;
    }
    if (/^ {2}\S/.test(raw)) inSpecs = false;
    if (!inSpecs) continue;
    const m = SPEC.exec(raw);
    if (!m) continue;
    const [, name, full] = m as unknown as [string, string, string];
    const p = PLATFORM.exec(full);
    const gem: LockedGem = p ? { name, version: p[1]!, platform: p[2]! } : { name, version: full };
    gems.set(`${name}@${full}`, gem);
  }
  if (!sawSection) return 'no Bundler lockfile sections (GEM, DEPENDENCIES...) found';
  return [...gems.values()];
}
