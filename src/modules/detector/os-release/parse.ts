/** Parses os-release (KEY=value, optionally quoted, shell-style escapes). */
export function parseOsRelease(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq <= 0) continue;
    let value = line.slice(eq + 1).trim();
    const quote = value[0];
    if ((quote === '"' || quote === "'") && value.endsWith(quote) && value.length >= 2) {
      value = value.slice(1, -1);
      if (quote === '"') value = value.replace(/\\(["\\$`])/g, '$1');
    }
    out[line.slice(0, eq)] = value;
  }
  return out;
}

const REDHAT_FAMILIES: Array<[RegExp, string]> = [
  [/^Red Hat Enterprise Linux/i, 'rhel'],
  [/^CentOS Stream/i, 'centos'],
  [/^CentOS/i, 'centos'],
  [/^Fedora/i, 'fedora'],
  [/^Rocky Linux/i, 'rocky'],
  [/^AlmaLinux/i, 'almalinux'],
  [/^Oracle Linux/i, 'ol'],
];

/** "Rocky Linux release 9.3 (Blue Onyx)" -> family, version, codename. */
export function parseRedhatRelease(text: string): { family: string; version?: string; codename?: string } | undefined {
  const line = text.split('\n')[0]?.trim() ?? '';
  const family = REDHAT_FAMILIES.find(([re]) => re.test(line))?.[1];
  if (!family) return undefined;
  const m = /release\s+([\d.]+)(?:\s*\(([^)]+)\))?/i.exec(line);
  return { family, version: m?.[1], codename: m?.[2] };
}
