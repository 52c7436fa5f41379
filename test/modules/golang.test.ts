import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { BUILDINFO_MAGIC, BuildInfoScanner, readUvarint } from '../../src/modules/detector/golang/buildinfo.js';
import { parseGoMod, resolveRequires } from '../../src/modules/detector/golang/gomod.js';
import { parseGoSum } from '../../src/modules/detector/golang/gosum.js';
import { inspectGoBinary, readGoBinary } from '../../src/modules/detector/golang/inspect.js';
import { parseModinfo, stripSentinels } from '../../src/modules/detector/golang/modinfo.js';
import { goPurl, stdlibVersion } from '../../src/modules/detector/golang/packages.js';

const START = Buffer.from('3077af0c9274080241e1c107e6d618e6', 'hex');
const END = Buffer.from('f932433186182072008242104116d8f2', 'hex');
const MODINFO = [
  'path\texample.com/app',
  'mod\texample.com/app\t(devel)\t',
  'dep\tgithub.com/a/b\tv1.2.3\th1:abc=',
  'dep\texample.org/old\tv0.1.0\th1:x=',
  '=>\texample.org/new\tv0.2.0\th1:y=',
  'build\t-compiler=gc',
  'build\t"-ldflags"=-s -w',
  'build\tCGO_ENABLED=0',
  '',
].join('\n');

function uvarint(n: number): Buffer {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n & 0x7f) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return Buffer.from(out);
}

function header(ptrSize: number, flags: number): Buffer {
  const h = Buffer.alloc(32);
  BUILDINFO_MAGIC.copy(h);
  h[14] = ptrSize;
  h[15] = flags;
  return h;
}

/** A fake ELF: magic, filler (including a decoy, unaligned magic), then aligned build info at `at`. */
function fakeBinary(at: number, goVersion = 'go1.22.1', modinfo = MODINFO): Buffer {
  const prefix = Buffer.alloc(at, 0x41);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46]).copy(prefix);
  if (at > 64) BUILDINFO_MAGIC.copy(prefix, 33); // not 16-byte aligned: must be ignored
  const mod = Buffer.concat([START, Buffer.from(modinfo), END]);
  const version = Buffer.from(goVersion);
  return Buffer.concat([prefix, header(8, 2), uvarint(version.length), version, uvarint(mod.length), mod, Buffer.alloc(2048, 0x42)]);
}

function scan(data: Buffer, splits: number[]): ReturnType<BuildInfoScanner['result']> {
  const scanner = new BuildInfoScanner();
  let from = 0;
  for (const at of [...splits, data.length]) {
    scanner.push(data.subarray(from, at));
    from = at;
  }
  return scanner.result();
}

describe('golang buildinfo streaming search', () => {
  const data = fakeBinary(4096);
  it('finds the build info in one chunk', () => {
    const { info } = scan(data, []);
    assert.equal(info?.kind, 'inline');
    assert.equal(info?.kind === 'inline' && info.goVersion, 'go1.22.1');
  });

  it('finds the magic split across chunk boundaries at every offset, and across many tiny chunks', () => {
    for (let cut = 4096 - 2; cut <= 4096 + 80; cut++) {
      const { info } = scan(data, [1000, cut]);
      assert.equal(info?.kind === 'inline' && info.goVersion, 'go1.22.1', `split at ${cut}`);
      assert.equal(info?.kind === 'inline' && stripSentinels(info.modinfo), MODINFO, `split at ${cut}`);
    }
    const bytes = Array.from({ length: data.length - 1 }, (_, i) => i + 1);
    const { info } = scan(data, bytes);
    assert.equal(info?.kind === 'inline' && info.goVersion, 'go1.22.1');
  });

  it('ignores unaligned magic and implausible headers, then finds the real one', () => {
    const decoy = Buffer.concat([header(8, 2), Buffer.from([3]), Buffer.from('xyz')]); // aligned, but "xyz" is no Go version
    const bin = fakeBinary(4096);
    decoy.copy(bin, 1024);
    const { info } = scan(bin, [1030]);
    assert.equal(info?.kind === 'inline' && info.goVersion, 'go1.22.1');
  });

  it('reports the pre-1.18 pointer format and a stream ending inside the build info', () => {
    const old = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46]), Buffer.alloc(12), header(8, 0), Buffer.alloc(64)]);
    assert.deepEqual(scan(old, []).info, { kind: 'pointer', ptrSize: 8, bigEndian: false });
    const cut = scan(data.subarray(0, 4096 + 40), []);
    assert.equal(cut.info, undefined);
    assert.equal(cut.truncated, true);
  });

  it('reads Go uvarints', () => {
    assert.deepEqual(readUvarint(uvarint(300), 0), { value: 300, length: 2 });
    assert.equal(readUvarint(Buffer.from([0x80]), 0), undefined);
    assert.equal(readUvarint(Buffer.alloc(11, 0xff), 0), null);
  });
});

describe('golang inspector', () => {
  it('skips non-executable, tiny and huge files', () => {
    assert.equal(inspectGoBinary('usr/bin/x', { size: 4096, mode: 0o644 }), undefined);
    assert.equal(inspectGoBinary('usr/bin/x', { size: 100, mode: 0o755 }), undefined);
    assert.equal(inspectGoBinary('usr/bin/x', { size: 2 ** 30, mode: 0o755 }), undefined);
    assert.ok(inspectGoBinary('usr/bin/x', { size: 4096, mode: 0o755 }));
  });

  it('parses a streamed fake binary, drains the rest, and rejects non-ELF files', async () => {
    const bin = fakeBinary(8192);
    const chunks = Array.from({ length: Math.ceil(bin.length / 100) }, (_, i) => bin.subarray(i * 100, i * 100 + 100));
    const stream = Readable.from(chunks);
    const result = await readGoBinary(stream);
    assert.equal(stream.readableEnded, true);
    assert.equal(result?.kind, 'buildinfo');
    if (result?.kind !== 'buildinfo') return;
    assert.equal(result.info.main?.version, '(devel)');
    assert.deepEqual(result.info.deps[1], { path: 'example.org/old', version: 'v0.1.0', sum: 'h1:x=', replace: { path: 'example.org/new', version: 'v0.2.0', sum: 'h1:y=' } });

    const notElf = Buffer.from(bin);
    notElf[0] = 0x23;
    assert.equal(await readGoBinary(Readable.from([notElf])), undefined);
  });
});

describe('golang modinfo', () => {
  it('parses path, main module, deps, replacements and build settings', () => {
    const info = parseModinfo('go1.22.1', MODINFO);
    assert.equal(info.path, 'example.com/app');
    assert.deepEqual(info.main, { path: 'example.com/app', version: '(devel)' });
    assert.deepEqual(info.deps[0], { path: 'github.com/a/b', version: 'v1.2.3', sum: 'h1:abc=' });
    assert.equal(info.deps[1]?.replace?.path, 'example.org/new');
    assert.deepEqual(info.settings[1], { key: '-ldflags', value: '-s -w' });
  });

  it('strips sentinels only from well-formed module info', () => {
    assert.equal(stripSentinels(Buffer.concat([START, Buffer.from('path\tx\n'), END])), 'path\tx\n');
    assert.equal(stripSentinels(Buffer.from('short')), '');
  });
});

describe('golang purls and versions', () => {
  it('splits the module path into namespace and name', () => {
    assert.equal(goPurl('github.com/Azure/go-autorest', 'v1.2.3'), 'pkg:golang/github.com/Azure/go-autorest@v1.2.3');
    assert.equal(goPurl('example.com/hello', '(devel)'), 'pkg:golang/example.com/hello');
    assert.equal(goPurl('gopkg.in/yaml.v3', 'v3.0.1'), 'pkg:golang/gopkg.in/yaml.v3@v3.0.1');
  });
  it('derives the stdlib version from the Go version', () => {
    assert.equal(stdlibVersion('go1.19.8'), '1.19.8');
    assert.equal(stdlibVersion('go1.22.1 X:boringcrypto'), '1.22.1');
    assert.equal(stdlibVersion('go1.26.5 (Red Hat 1.26.5-1.el10_2.alma.1)'), '1.26.5');
    assert.equal(stdlibVersion('go1.21rc2'), '1.21rc2');
    assert.equal(stdlibVersion('devel go1.23-abcdef'), undefined);
  });
});

describe('golang go.mod and go.sum', () => {
  const GOMOD = `// comment
module "example.com/app" // the app

go 1.21
toolchain go1.21.5

require github.com/single/dep v1.0.0
require (
\tgithub.com/a/b v1.2.3
\tgithub.com/c/d v0.0.0-20200101000000-abcdef123456 // indirect
\texample.org/old v0.1.0 // indirect; used by b
\texample.org/local v1.0.0
)

replace (
\texample.org/old => example.org/new v0.2.0
\texample.org/local v1.0.0 => ../local
\tgithub.com/a/b v9.9.9 => github.com/a/b v9.9.10
)
exclude github.com/x/y v1.0.0
`;
  it('parses module, require blocks, indirect comments and replace directives', () => {
    const mod = parseGoMod(GOMOD);
    assert.equal(mod.module, 'example.com/app');
    assert.equal(mod.go, '1.21');
    assert.equal(mod.toolchain, 'go1.21.5');
    assert.equal(mod.requires.length, 5);
    assert.deepEqual(mod.requires.filter((r) => r.indirect).map((r) => r.path), ['github.com/c/d', 'example.org/old']);
    assert.deepEqual(mod.replaces[1], { oldPath: 'example.org/local', oldVersion: 'v1.0.0', newPath: '../local' });
  });

  it('applies replacements: versioned ones replace, local ones drop, non-matching versions do nothing', () => {
    const { deps, local } = resolveRequires(parseGoMod(GOMOD));
    assert.deepEqual(deps.map((d) => `${d.path}@${d.version}`), ['github.com/single/dep@v1.0.0', 'github.com/a/b@v1.2.3', 'github.com/c/d@v0.0.0-20200101000000-abcdef123456', 'example.org/new@v0.2.0']);
    assert.deepEqual(deps[3]?.replaced, { path: 'example.org/old', version: 'v0.1.0' });
    assert.deepEqual(local.map((r) => r.path), ['example.org/local']);
  });

  it('reads go.sum module lines, skipping go.mod-only hashes and duplicates', () => {
    const sum = 'github.com/a/b v1.2.3 h1:aaa=\ngithub.com/a/b v1.2.3/go.mod h1:bbb=\ngithub.com/old/x v0.1.0/go.mod h1:c=\n\ngarbage\n';
    assert.deepEqual(parseGoSum(sum), [{ path: 'github.com/a/b', version: 'v1.2.3' }]);
  });
});
