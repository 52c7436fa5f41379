import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { dpkgDetector } from '../../src/modules/detector/dpkg/index.js';
import { javaDetector } from '../../src/modules/detector/java/index.js';
import { npmDetector } from '../../src/modules/detector/npm/index.js';
import { scanImage } from '../../src/scan/image-scan.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import { cachedImage } from '../support/images.js';

const CONTEXT = fileURLToPath(new URL('../fixtures/java-app/', import.meta.url));
const NPM_CONTEXT = fileURLToPath(new URL('../fixtures/npm-app/', import.meta.url));

describe('language packages installed by OS packages are linked to them', () => {
  let result: ImageScanResult;
  let temp: string;
  before(async () => {
    const { dockerArchive } = await cachedImage('java-app', CONTEXT);
    temp = await mkdtemp(join(tmpdir(), 'bulwark-link-'));
    const source = await openInput(dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: temp });
    result = await scanImage(source, { detectors: [dpkgDetector, javaDetector] });
  });
  after(async () => {
    if (temp) await rm(temp, { recursive: true, force: true });
  });

  it('a jar dpkg installed names its Debian package; a copy inside an application jar does not', () => {
    const deb = (name: string) => result.packages.find((p) => p.type === 'deb' && p.name === name)!;
    const jars = result.packages.filter((p) => p.type === 'maven' && p.name.endsWith(':commons-lang3'));
    const installed = jars.find((p) => p.location.startsWith('/usr/share/java/'))!;
    const bundled = jars.find((p) => p.location.includes('!/'))!;
    assert.deepEqual(installed.osPackage, { type: 'deb', name: 'libcommons-lang3-java', version: deb('libcommons-lang3-java').version });
    assert.ok(deb('libcommons-lang3-java').files?.includes(installed.location), 'the link comes from the file list');
    assert.equal(bundled.osPackage, undefined);
  });

  it("Debian's /usr/share/nodejs packages name their dpkg package; the app's node_modules do not", async () => {
    const { dockerArchive } = await cachedImage('npm-app', NPM_CONTEXT);
    const source = await openInput(dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: temp });
    const npm = (await scanImage(source, { detectors: [dpkgDetector, npmDetector] })).packages.filter((p) => p.type === 'npm');
    const debian = npm.filter((p) => p.location.startsWith('/usr/share/nodejs/'));
    const app = npm.filter((p) => p.location.startsWith('/app/'));
    assert.ok(debian.length > 100 && app.length > 100);
    assert.deepEqual(debian.filter((p) => p.osPackage?.type !== 'deb').map((p) => p.location).slice(0, 5), []);
    assert.deepEqual(app.filter((p) => p.osPackage), []);
  });
});
