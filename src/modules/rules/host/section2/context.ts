import type { HostView } from '../../../../host/types.js';

/**
 * What the daemon settings were read from, to append to details when it limits the verdict: no dockerd
 * process seen (a --root tree without /proc) or a daemon.json that could not be used.
 */
export function settingsCaveat(view: HostView): string | undefined {
  const notes: string[] = [];
  if (!view.daemon) notes.push('no dockerd process found: command line not read');
  const error = view.daemonJsonError;
  if (error) notes.push(error);
  return notes.length > 0 ? notes.join('; ') : undefined;
}

/** Details text with the caveat, if any, appended. */
export function withCaveat(view: HostView, details: string): string {
  const caveat = settingsCaveat(view);
  return caveat ? `${details} (${caveat})` : details;
}
