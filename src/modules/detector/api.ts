import { apkDetector } from './apk/index.js';
import { dotnetDetector } from './dotnet/index.js';
import { dpkgDetector } from './dpkg/index.js';
import { golangDetector } from './golang/index.js';
import { javaDetector } from './java/index.js';
import { npmDetector } from './npm/index.js';
import { osReleaseDetector } from './os-release/index.js';
import { phpDetector } from './php/index.js';
import { pythonDetector } from './python/index.js';
import { rubyDetector } from './ruby/index.js';
import { rpmDetector } from './rpm/index.js';
import { rustDetector } from './rust/index.js';
import type { DetectorModule } from './types.js';

/** Every detector, registered explicitly (no import side effects); keyed by id. */
const modules: DetectorModule[] = [
  osReleaseDetector,
  dpkgDetector,
  apkDetector,
  rpmDetector,
  npmDetector,
  pythonDetector,
  golangDetector,
  javaDetector,
  rubyDetector,
  phpDetector,
  rustDetector,
  dotnetDetector,
];

export const detectors: ReadonlyMap<string, DetectorModule> = new Map(modules.map((m) => [m.id, m]));
