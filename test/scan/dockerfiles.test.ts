import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isDockerfileName } from '../../src/scan/dockerfiles.js';

describe('which files bulwark fs lints as Dockerfiles', () => {
  it('takes the names Docker and Podman build from', () => {
    for (const name of ['Dockerfile', 'dockerfile', 'Containerfile', 'Dockerfile.prod', 'Dockerfile.ci-arm64', 'api.Dockerfile', 'worker.containerfile', 'build.dockerfile']) {
      assert.ok(isDockerfileName(name), name);
    }
  });
  it('leaves docs, code and ignore files alone', () => {
    for (const name of ['dockerfile.md', 'Dockerfile.md', 'dockerfile.js', 'dockerfile.d.ts', 'Dockerfile.dockerignore', 'dockerfile.prod', 'Dockerfile.yaml', 'Dockerfile.swp', 'notes.txt', 'Dockerfiles', 'MyDockerfile']) {
      assert.ok(!isDockerfileName(name), name);
    }
  });
});
