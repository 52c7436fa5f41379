/**
 * End of upstream support of the host's container runtime: the Docker Engine version and its containerd
 * component (from the Engine API's version answer) against data/eol/docker-engine.csv and containerd.csv.
 */
import { DEFAULT_NEAR_DAYS, eolStatus, loadEolData, type EolData, type EolStatus } from '../../../eol/index.js';

export interface RuntimeComponent {
  /** "Docker Engine" or "containerd". */
  product: string;
  /** EOL table family. */
  family: 'docker-engine' | 'containerd';
  version: string;
}

export interface RuntimeSupport extends RuntimeComponent {
  status: EolStatus;
  /** A distribution's own build (Debian "+dfsg1", "~ds1", Ubuntu, RHEL...): the distribution may patch it past upstream's end. */
  distributionBuild: boolean;
}

/** Engine and containerd versions from `docker version`'s answer (GET /version). */
export function runtimeComponents(version: Record<string, any> | undefined): RuntimeComponent[] {
  if (!version) return [];
  const out: RuntimeComponent[] = [];
  const components: Array<Record<string, any>> = Array.isArray(version.Components) ? version.Components : [];
  const engine = typeof version.Version === 'string' ? version.Version : components.find((c) => c?.Name === 'Engine')?.Version;
  if (typeof engine === 'string' && engine !== '') out.push({ product: 'Docker Engine', family: 'docker-engine', version: engine });
  const containerd = components.find((c) => typeof c?.Name === 'string' && c.Name.toLowerCase() === 'containerd')?.Version;
  if (typeof containerd === 'string' && containerd !== '') out.push({ product: 'containerd', family: 'containerd', version: containerd });
  return out;
}

const DISTRO_BUILD = /(?:[+~](?:dfsg|ds)\d*|ubuntu|deb\d|\.el\d|\.amzn|\.fc\d|\.azl|\+azure)/i;

export interface RuntimeSupportOptions {
  now: Date;
  data?: EolData;
  nearDays?: number;
}

export function runtimeSupport(components: readonly RuntimeComponent[], options: RuntimeSupportOptions): RuntimeSupport[] {
  const data = options.data ?? loadEolData();
  return components.map((c) => ({
    ...c,
    // Tables list branches ("20.10", "27", "1.7"): a leading "v" is not part of the number.
    status: eolStatus({ family: c.family, version: c.version.replace(/^v/, '') }, options.now, { data, nearDays: options.nearDays ?? DEFAULT_NEAR_DAYS }),
    distributionBuild: DISTRO_BUILD.test(c.version),
  }));
}

/** One line per component: "Docker Engine 20.10.24+dfsg1: upstream support of 20.10 ended 2023-12-10 (...)". */
export function describeSupport(s: RuntimeSupport): string {
  const head = `${s.product} ${s.version}`;
  const st = s.status;
  const distro = s.distributionBuild ? '; a distribution build: the distribution may still ship fixes for it' : '';
  switch (st.status) {
    case 'eol':
      return `${head}: upstream support of ${st.release} ended ${st.eolDate}${distro} [${st.source}]`;
    case 'near-eol':
      return `${head}: upstream support of ${st.release} ends ${st.eolDate}${distro} [${st.source}]`;
    case 'supported':
      return `${head}: ${st.release} is supported${st.eolDate ? ` until ${st.eolDate}` : ' (no end announced)'} [${st.source}]`;
    default:
      return `${head}: release not in the end-of-life data [${st.source}]`;
  }
}
