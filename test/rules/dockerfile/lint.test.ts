import assert from 'node:assert/strict';
import { mkdtemp, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BulwarkError } from '../../../src/core/errors.js';
import { lintDockerfile, lintDockerfileFile } from '../../../src/modules/rules/dockerfile/index.js';

const opts = { path: 'app/Dockerfile', hasDockerignore: true };
const lines = (text: string): [number | undefined, string][] => lintDockerfile(text, opts).map((f) => [f.location.line, f.id]);

const NOISY = [
  'FROM debian:12',
  'RUN apt-get update && apt-get install curl',
  'USER app',
].join('\n');

describe('lintDockerfile', () => {
  it('sorts findings by line, then rule id, and fills in the findings model', () => {
    const findings = lintDockerfile(NOISY, opts);
    assert.deepEqual(
      findings.map((f) => [f.location.line, f.id]),
      [[2, 'BW-DF-014'], [2, 'BW-DF-015'], [2, 'BW-DF-017'], [2, 'BW-DF-018']],
    );
    const f = findings[0]!;
    assert.deepEqual(
      { kind: f.kind, stackLayer: f.stackLayer, target: f.target, location: f.location, severity: f.severity, aliases: f.aliases },
      { kind: 'misconfiguration', stackLayer: 'image', target: 'app/Dockerfile', location: { path: 'app/Dockerfile', line: 2 }, severity: 'LOW', aliases: ['DL3008'] },
    );
    assert.ok(f.title && f.remediation && f.references.length && f.description?.includes('curl'));
  });

  it('gives stable fingerprints that change with the instruction and its line', () => {
    const a = lintDockerfile(NOISY, opts).map((f) => f.fingerprint);
    assert.deepEqual(lintDockerfile(NOISY, opts).map((f) => f.fingerprint), a);
    assert.equal(new Set(a).size, a.length);
    const moved = lintDockerfile(NOISY.replace('FROM debian:12\n', 'FROM debian:12\n\n'), opts).map((f) => f.fingerprint);
    assert.ok(moved.every((x) => !a.includes(x)), 'another line, another fingerprint');
    const otherTarget = lintDockerfile(NOISY, { ...opts, path: 'other/Dockerfile' }).map((f) => f.fingerprint);
    assert.ok(otherTarget.every((x) => !a.includes(x)));
  });

  it('honours # hadolint ignore= with DL ids and # bulwark ignore= with Bulwark ids, for the next instruction only', () => {
    const text = [
      'FROM debian:12',
      '# hadolint ignore=DL3008, DL3015',
      '# bulwark ignore=BW-DF-017',
      'RUN apt-get update && apt-get install curl',
      'RUN apt-get update && apt-get install curl',
      '# bulwark ignore=DL3009',
      '',
      'RUN apt-get install -y --no-install-recommends wget=1 && rm -rf /var/lib/apt/lists/*',
      'USER app',
    ].join('\n');
    assert.deepEqual(lines(text), [
      [4, 'BW-DF-015'],
      [5, 'BW-DF-014'],
      [5, 'BW-DF-015'],
      [5, 'BW-DF-017'],
      [5, 'BW-DF-018'],
    ]);
  });

  it('an ignore comment separated by a blank line does not apply', () => {
    const text = ['FROM debian:12', '# hadolint ignore=DL3003', '', 'RUN cd /x', 'USER app'].join('\n');
    assert.deepEqual(lines(text), [[4, 'BW-DF-012']]);
  });

  it('honours global ignores and ignores on FROM and USER lines', () => {
    assert.deepEqual(lines(['# hadolint global ignore=DL3003', 'FROM debian:12', 'RUN cd /x', 'RUN cd /y && true'].join('\n')), [[2, 'BW-DF-001']]);
    assert.deepEqual(lines(['# bulwark ignore=BW-DF-001,DL3006', 'FROM debian', 'RUN true'].join('\n')), []);
    assert.deepEqual(lines(['FROM debian:12', '# hadolint ignore=DL3002', 'USER root'].join('\n')), []);
  });

  it('never shows a secret value in any field', () => {
    const secrets = ['hunter2-very-secret', 'AKIAWJalrXUtnFEMIK7MDENG', 'ghp_0123456789abcdefghijklmnopqrstuvwxyz'];
    const text = [`ARG GH_TOKEN=${secrets[2]}`, 'FROM debian:12', `ENV DB_PASSWORD="${secrets[0]}" AWS_SECRET_ACCESS_KEY=${secrets[1]}`, 'USER app'].join('\n');
    const findings = lintDockerfile(text, opts);
    assert.deepEqual(findings.map((f) => [f.location.line, f.id]), [[1, 'BW-DF-002'], [3, 'BW-DF-002'], [3, 'BW-DF-002']]);
    const json = JSON.stringify(findings);
    for (const s of secrets) assert.ok(!json.includes(s) && !json.includes(s.slice(0, 6)), `${s} is masked`);
    assert.match(findings[1]!.description!, /DB_PASSWORD holds a literal value \(\*+/);
  });

  it('reports the whole-context COPY only without a .dockerignore', () => {
    const text = 'FROM debian:12\nCOPY . /app\nUSER app\n';
    assert.deepEqual(lintDockerfile(text, { path: 'Dockerfile', hasDockerignore: false }).map((f) => f.id), ['BW-DF-007']);
    assert.deepEqual(lintDockerfile(text, { path: 'Dockerfile', hasDockerignore: true }), []);
  });

  it('a hardened multi-stage Dockerfile has no findings', () => {
    const text = [
      '# syntax=docker/dockerfile:1',
      'ARG GO_VERSION=1.22.2',
      'FROM golang:${GO_VERSION}-bookworm AS build',
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      'WORKDIR /src',
      'COPY go.mod go.sum ./',
      'RUN --mount=type=cache,target=/root/go/pkg/mod go mod download',
      'COPY . .',
      'RUN CGO_ENABLED=0 go build -o /out/app ./cmd/app && curl -fsSL https://example.com/x | sha256sum',
      '',
      'FROM gcr.io/distroless/static-debian12:nonroot@sha256:c5b1261d6d3e43071626931fc004f70149baeba2c8ec672bd4f27761f8e1ad6b',
      'COPY --from=build /out/app /app',
      'USER 65532:65532',
      'ENTRYPOINT ["/app"]',
    ].join('\n');
    assert.deepEqual(lines(text), []);
  });
});

describe('lintDockerfileFile', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bulwark-df-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads the file and looks for a .dockerignore beside it', async () => {
    const path = join(dir, 'Dockerfile');
    await writeFile(path, 'FROM debian:12\nCOPY . .\nUSER app\n');
    const before = await lintDockerfileFile(path);
    assert.deepEqual(before.map((f) => [f.id, f.target, f.location.line]), [['BW-DF-007', path, 2]]);
    await writeFile(join(dir, '.dockerignore'), '.git\n');
    assert.deepEqual(await lintDockerfileFile(path), []);
  });

  it('accepts a per-Dockerfile <name>.dockerignore', async () => {
    const sub = await mkdtemp(join(dir, 'sub-'));
    const path = join(sub, 'app.Dockerfile');
    await writeFile(path, 'FROM debian:12\nCOPY . .\nUSER app\n');
    assert.equal((await lintDockerfileFile(path)).length, 1);
    await writeFile(`${path}.dockerignore`, '.git\n');
    assert.equal((await lintDockerfileFile(path)).length, 0);
  });

  it('refuses a file over 4 MiB with a one-line error', async () => {
    const path = join(dir, 'Huge.Dockerfile');
    await writeFile(path, 'FROM debian:12\n');
    await truncate(path, 4 * 1024 * 1024 + 1);
    await assert.rejects(lintDockerfileFile(path), (e: unknown) => e instanceof BulwarkError && e.code === 'E_LIMIT' && e.message.startsWith(path) && !e.message.includes('\n'));
  });

  it('names a missing file in a one-line error', async () => {
    const path = join(dir, 'nope', 'Dockerfile');
    await assert.rejects(lintDockerfileFile(path), (e: unknown) => e instanceof BulwarkError && e.code === 'E_NOT_FOUND' && e.message.includes(path) && !e.message.includes('\n'));
  });

  it('names the file and line of a malformed Dockerfile', async () => {
    const path = join(dir, 'Bad.Dockerfile');
    await writeFile(path, 'FROM debian:12\nRUNN x\n');
    await assert.rejects(lintDockerfileFile(path), (e: unknown) => e instanceof BulwarkError && e.message === `${path}:2: unknown instruction "RUNN"`);
  });
});
