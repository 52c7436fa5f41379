/** One command-line flag of a component, with where it was set. */
export interface FlagSetting {
  /** The value; "true" for a bare boolean flag ("--profiling"). */
  value: string;
  /** Host path of the file that set it. */
  file: string;
  line?: number;
}

export type FlagMap = Map<string, FlagSetting>;

export interface ArgToken {
  text: string;
  line?: number;
}

/**
 * Turns an argv ("kube-apiserver", "--a=b", "--c", "d", "--bare") into flags. "--flag value" takes the next
 * token as the value unless it is itself a flag; a later setting of the same flag wins, as with pflag.
 */
export function parseFlagTokens(tokens: readonly ArgToken[], file: string, into: FlagMap = new Map()): FlagMap {
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    const m = /^--?([A-Za-z0-9][A-Za-z0-9._-]*)(?:=(.*))?$/s.exec(t.text.trim());
    if (!m) continue;
    const name = m[1]!;
    let value = m[2];
    if (value === undefined) {
      const next = tokens[i + 1];
      if (next && !next.text.trim().startsWith('-')) {
        value = next.text.trim();
        i++;
      } else value = 'true';
    }
    into.set(name, { value, file, ...(t.line !== undefined ? { line: t.line } : {}) });
  }
  return into;
}

/**
 * Flags from a systemd drop-in or an environment file (kubeadm-flags.env): every "--flag[=value]" on
 * Environment=, ExecStart= or KEY="..." lines. Comments are skipped; $VARIABLES are not expanded.
 */
export function parseFlagLines(text: string, file: string, into: FlagMap = new Map()): FlagMap {
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || line.startsWith(';')) return;
    // Environment="KUBELET_CONFIG_ARGS=--config=/x" and KUBELET_KUBEADM_ARGS="--a=b --c d": drop the quotes and the KEY= prefix.
    const words = line.replace(/["']/g, ' ').split(/\s+/).map((w) => w.replace(/^[A-Za-z_][A-Za-z0-9_]*=(?=-)/, ''));
    const first = words.findIndex((w) => w.startsWith('-'));
    if (first < 0) return;
    parseFlagTokens(words.slice(first).map((text) => ({ text, line: index + 1 })), file, into);
  });
  return into;
}

export function isTrue(value: string | undefined): boolean {
  return value !== undefined && value.trim().toLowerCase() === 'true';
}

/** "Node,RBAC" -> ["Node","RBAC"]. */
export function listValue(value: string | undefined): string[] {
  return (value ?? '').split(',').map((s) => s.trim()).filter((s) => s !== '');
}
