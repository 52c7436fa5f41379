import { BulwarkError, isBulwarkError } from '../core/errors.js';
import { openInput } from './archive/open-input.js';
import type { ImageSource, SourceOptions } from './types.js';

export type ImageSrc = 'docker' | 'remote';
export const IMAGE_SRCS: readonly ImageSrc[] = ['docker', 'remote'];

export interface OpenImageRequest {
  reference?: string;
  input?: string;
  /** Order in which a bare reference is looked for, as trivy's --image-src. */
  imageSrc: ImageSrc[];
}

/** Turns what the user named into an image source: a file, the local engine, then the registry. */
export async function openImage(request: OpenImageRequest, options: SourceOptions): Promise<ImageSource> {
  if (request.input) {
    return openInput(request.input, { wanted: request.reference, platform: options.platform, tempDir: options.tempDir });
  }
  const reference = request.reference;
  if (!reference) throw new BulwarkError('E_USAGE', 'name an image (e.g. debian:12) or give --input PATH');
  const failures: string[] = [];
  for (const src of request.imageSrc) {
    try {
      // Engine and registry clients load only when used: dockerode and undici cost ~300 ms of start-up.
      if (src === 'docker') {
        const { engineAddress, engineAvailable, openEngineImage } = await import('./engine/docker-engine.js');
        if (!(await engineAvailable(options.dockerHost))) {
          failures.push(`docker: no engine reachable at ${engineAddress(options.dockerHost)}`);
          continue;
        }
        return await openEngineImage(reference, options);
      }
      const { openRegistryImage } = await import('./registry/index.js');
      return await openRegistryImage(reference, options);
    } catch (e) {
      // Only "not there" moves on to the next source; a broken or hostile image is an answer.
      if (isBulwarkError(e) && (e.code === 'E_NOT_FOUND' || e.code === 'E_ENGINE') && request.imageSrc.length > 1) {
        failures.push(`${src}: ${e.message}`);
        continue;
      }
      if (isBulwarkError(e) && failures.length > 0) {
        throw new BulwarkError(e.code, `${e.message} (also tried ${failures.join('; ')})`, { exitCode: e.exitCode });
      }
      throw e;
    }
  }
  throw new BulwarkError('E_NOT_FOUND', `${reference}: image not found (${failures.join('; ')})`);
}
