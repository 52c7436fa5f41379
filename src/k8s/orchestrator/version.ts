/** A Kubernetes release version as the API server and kubelets report it. */
export interface K8sVersion {
  major: number;
  minor: number;
  patch: number;
  /** "1.29": the release cycle endoflife.date and the skew policy talk about. */
  cycle: string;
  /** "1.29.3": without the leading v, pre-release or build suffix. */
  core: string;
  /** The text as given. */
  raw: string;
}

/**
 * Parses "v1.29.3", "1.29", "v1.29.3-eks-1234abc", "v1.30.2+k3s1", "v1.28.9-gke.1000": the distribution
 * suffix is ignored (it names the vendor build of the same upstream patch). Undefined when it is not a version.
 */
export function parseK8sVersion(text: string): K8sVersion | undefined {
  const m = /^\s*v?(\d{1,4})\.(\d{1,4})(?:\.(\d{1,6}))?(?:[-+][0-9A-Za-z.+_-]*)?\s*$/.exec(text);
  if (!m) return undefined;
  const major = Number(m[1]);
  const minor = Number(m[2]);
  const patch = m[3] === undefined ? 0 : Number(m[3]);
  return { major, minor, patch, cycle: `${major}.${minor}`, core: `${major}.${minor}.${patch}`, raw: text };
}

/** Negative when a is older, 0 when equal, positive when newer (suffixes ignored). */
export function compareK8sVersions(a: K8sVersion, b: K8sVersion): number {
  return a.major - b.major || a.minor - b.minor || a.patch - b.patch;
}

/** Minor releases between two versions of the same major (b - a). */
export function minorDistance(a: K8sVersion, b: K8sVersion): number {
  return (b.major - a.major) * 1000 + (b.minor - a.minor);
}
