/** The benchmark's sections, in order, with docker-bench-security's names; "F" is Bulwark's footprint section. */
export const SECTIONS: readonly { id: string; title: string }[] = [
  { id: '1', title: 'Host Configuration' },
  { id: '2', title: 'Docker daemon configuration' },
  { id: '3', title: 'Docker daemon configuration files' },
  { id: '4', title: 'Container Images and Build File' },
  { id: '5', title: 'Container Runtime' },
  { id: '6', title: 'Docker Security Operations' },
  { id: 'F', title: 'Host footprint and access' },
];

export const BENCHMARK = 'CIS Docker Benchmark v1.6.0';

/** "5.31" -> "5"; "F.2" -> "F". */
export function sectionOf(checkId: string): string {
  return checkId.split('.')[0]!;
}

/** Numeric-aware id order: 1.1.2 < 1.1.10 < 1.2; F.x after the numbered sections. */
export function compareCheckIds(a: string, b: string): number {
  const pa = a.split('.');
  const pb = b.split('.');
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const x = pa[i];
    const y = pb[i];
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    const nx = Number(x);
    const ny = Number(y);
    if (Number.isNaN(nx) || Number.isNaN(ny)) {
      if (x !== y) return Number.isNaN(nx) ? 1 : Number.isNaN(ny) ? -1 : x < y ? -1 : 1;
    } else if (nx !== ny) return nx - ny;
  }
  return 0;
}

/** The finding id of a check: the CIS id as the image rules alias it, or Bulwark's own for footprint checks. */
export function hostFindingId(checkId: string): string {
  return checkId.startsWith('F.') ? `BW-HOST-${checkId.slice(2).padStart(3, '0')}` : `CIS-DOCKER-${checkId}`;
}
