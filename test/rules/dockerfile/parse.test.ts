import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BulwarkError } from '../../../src/core/errors.js';
import { lintDockerfile, parseDockerfile } from '../../../src/modules/rules/dockerfile/index.js';
import { runScript } from '../../../src/modules/rules/dockerfile/parse.js';

const lint = (text: string): [number | undefined, string][] =>
  lintDockerfile(text, { path: 'Dockerfile', hasDockerignore: true }).map((f) => [f.location.line, f.id]);

describe('parseDockerfile', () => {
  it('reads stages, aliases, FROM stage references and global ARGs', () => {
    const df = parseDockerfile(
      [
        'ARG REGISTRY=registry.example.com',
        'ARG VERSION',
        'ARG DEBIAN=${DEBIAN_OVERRIDE:-12}',
        'FROM --platform=linux/arm64 ${REGISTRY}/base:1.0 AS Build',
        'RUN make',
        'FROM build AS test',
        'FROM debian:${DEBIAN}',
        'FROM node:${VERSION}',
        'COPY --from=build /out /app',
      ].join('\n'),
      'Dockerfile',
    );
    assert.equal(df.globalArgs.length, 3);
    assert.equal(df.stages.length, 4);
    const [build, test, deb, node] = df.stages;
    assert.deepEqual(
      { image: build?.from.image, name: build?.from.name, tag: build?.from.tag, alias: build?.from.alias, platform: build?.from.platform, line: build?.fromInstruction.line },
      { image: 'registry.example.com/base:1.0', name: 'registry.example.com/base', tag: '1.0', alias: 'build', platform: 'linux/arm64', line: 4 },
    );
    assert.equal(build?.instructions[0]?.line, 5);
    assert.equal(test?.parent, build, 'FROM build refers to the earlier stage, case-insensitively');
    assert.equal(deb?.from.image, 'debian:12', '${VAR:-default} is substituted');
    assert.equal(deb?.parent, null);
    assert.equal(node?.from.unresolved, true, 'an ARG without a default leaves the tag unknown');
    assert.equal(node?.instructions[0]?.flags.get('from'), 'build');
  });

  it('keeps each instruction\'s first and last line across continuations and comments inside them', () => {
    const text = ['FROM debian:12', '', 'RUN apt-get update && \\', '    # a comment inside the continuation', '    apt-get install -y curl', '# hadolint ignore=DL3059', 'RUN true'].join('\n');
    const df = parseDockerfile(text, 'Dockerfile');
    const run = df.instructions[1];
    assert.deepEqual([run?.line, run?.endLine], [3, 5]);
    assert.equal(run?.args, 'apt-get update &&     apt-get install -y curl');
    assert.equal(df.instructions[2]?.line, 7);
  });

  it('honours the escape directive', () => {
    const df = parseDockerfile(['# escape=`', 'FROM mcr.microsoft.com/windows/servercore:ltsc2022', 'RUN echo a `', '    && echo b'].join('\n'), 'Dockerfile');
    assert.equal(df.escape, '`');
    assert.equal(df.instructions[1]?.args, 'echo a     && echo b');
  });

  it('runs the rules on a RUN heredoc script, and not on a heredoc fed to a command as data', () => {
    const text = [
      'FROM debian:12',
      'SHELL ["/bin/bash", "-o", "pipefail", "-c"]',
      'RUN <<EOF',
      'set -e',
      'apt-get update',
      'apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5',
      'EOF',
      'RUN cat <<EOF > /etc/motd',
      'apt-get install vim',
      'EOF',
      'USER app',
    ].join('\n');
    const df = parseDockerfile(text, 'Dockerfile');
    assert.equal(runScript(df.instructions[2]!), 'set -e\napt-get update\napt-get install -y --no-install-recommends curl=7.88.1-10+deb12u5');
    assert.deepEqual(df.instructions[2]?.heredocs.map((h) => h.name), ['EOF']);
    assert.deepEqual(lint(text), [[3, 'BW-DF-015']]);
  });

  it('reads exec-form RUN, CMD and COPY', () => {
    const df = parseDockerfile(['FROM debian:12', 'RUN ["apt-get", "install", "-y", "a b"]', 'CMD ["x"]', 'CMD x'].join('\n'), 'Dockerfile');
    assert.deepEqual(df.instructions[1]?.exec, ['apt-get', 'install', '-y', 'a b']);
    assert.equal(runScript(df.instructions[1]!), "apt-get install -y 'a b'");
    assert.deepEqual(df.instructions[2]?.exec, ['x']);
    assert.equal(df.instructions[3]?.exec, null);
  });

  it('normalises CRLF line endings and a BOM', () => {
    const findings = lint('\uFEFFFROM debian:12\r\nRUN cd /x\r\nUSER app\r\n');
    assert.deepEqual(findings, [[2, 'BW-DF-012']]);
  });
});

describe('malformed Dockerfiles', () => {
  const cases: [string, string, RegExp][] = [
    ['unknown instruction', 'FROM debian:12\nRUN true\nFRUM x\n', /^bad\/Dockerfile:3: unknown instruction "FRUM"$/],
    ['instruction before FROM', '# comment\nRUN true\nFROM debian:12\n', /^bad\/Dockerfile:2: RUN before the first FROM/],
    ['FROM without image', 'FROM\n', /^bad\/Dockerfile:1: FROM needs arguments$/],
    ['FROM with junk', 'FROM debian:12 debian:11\n', /^bad\/Dockerfile:1: FROM takes an image/],
    ['bad stage name', 'FROM debian:12 AS 1bad!\n', /^bad\/Dockerfile:1: invalid stage name/],
    ['no FROM at all', 'ARG X=1\n# nothing else\n', /^bad\/Dockerfile:\d+: no FROM instruction$/],
    ['empty file', '', /^bad\/Dockerfile:1: no FROM instruction$/],
    ['COPY with one argument', 'FROM debian:12\nCOPY onlyone\n', /^bad\/Dockerfile:2: COPY needs a source and a destination$/],
    ['unterminated heredoc', 'FROM debian:12\nRUN <<EOF\necho hi\n', /^bad\/Dockerfile:2: here-document <<EOF is not terminated$/],
    ['binary content', 'FROM debian:12\n\0\0', /^bad\/Dockerfile:1: not a Dockerfile/],
    ['USER without a name', 'FROM debian:12\nUSER\n', /^bad\/Dockerfile:2: USER needs arguments$/],
  ];
  for (const [name, text, message] of cases) {
    it(`${name}: one-line error naming the file and line`, () => {
      assert.throws(
        () => lintDockerfile(text, { path: 'bad/Dockerfile', hasDockerignore: false }),
        (e: unknown) => e instanceof BulwarkError && e.code === 'E_FORMAT' && message.test(e.message) && !e.message.includes('\n'),
      );
    });
  }
});
