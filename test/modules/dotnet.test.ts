import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { dotnetDetector } from '../../src/modules/detector/dotnet/index.js';
import { parseDepsJson, parsePackagesLock } from '../../src/modules/detector/dotnet/parse.js';
import type { DetectorResult } from '../../src/modules/detector/types.js';
import { viewFromDirs } from '../support/dir-view.js';

const APP = fileURLToPath(new URL('../fixtures/dotnet-app/app/', import.meta.url));
const file = (name: string) => readFileSync(join(APP, name), 'utf8');
const rows = (entries: Array<{ name: string; version: string }> | string) => {
  assert.ok(Array.isArray(entries), String(entries));
  return entries.map((e) => `${e.name}@${e.version}`).sort();
};

describe('.NET metadata', () => {
  it('reads package libraries of a deps.json, not projects', () => {
    assert.deepEqual(rows(parseDepsJson(file('WebApi.deps.json'))), [
      'Newtonsoft.Json@13.0.3', 'Serilog.AspNetCore@8.0.1', 'Serilog.Sinks.Console@5.0.0', 'Serilog@3.1.1',
    ]);
  });
  it('reads packages.lock.json across target frameworks, once each, without project references', () => {
    assert.deepEqual(rows(parsePackagesLock(file('packages.lock.json'))), [
      'Newtonsoft.Json@13.0.3', 'Serilog.AspNetCore@8.0.1', 'Serilog.Sinks.Console@5.0.0', 'Serilog@3.1.1',
      'System.Runtime.InteropServices.RuntimeInformation@4.3.0',
    ]);
  });
  it('explains broken input', () => {
    assert.match(parseDepsJson('{"libraries": {') as string, /^not valid JSON/);
    assert.match(parseDepsJson('{"runtimeTarget": {}}') as string, /^unexpected content: libraries/);
    assert.match(parseDepsJson('{"libraries": {"NoVersion": {"type": "package"}}}') as string, /not "Name\/Version"/);
    assert.match(parsePackagesLock('{"version": 1, "dependencies": []}') as string, /^unexpected content/);
  });
});

describe('dotnet detector', () => {
  let root: string;
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'bulwark-dotnet-'));
    await cp(APP, join(root, 'app'), { recursive: true });
    await writeFile(join(root, 'app/Broken.deps.json'), '{"libraries": {"A/1.0": {"type": "package"');
  });
  after(() => rm(root, { recursive: true, force: true }));
  const run = (target: 'image' | 'directory') => dotnetDetector.detect({ fs: viewFromDirs([root], dotnetDetector.wants), target, inspections: [] }) as DetectorResult;

  it('reports deps.json packages in images and adds packages.lock.json in directories', () => {
    const image = run('image');
    assert.deepEqual(image.packages!.map((p) => [p.purl, p.evidence, p.location]).sort(), [
      ['pkg:nuget/Newtonsoft.Json@13.0.3', 'installed', '/app/WebApi.deps.json'],
      ['pkg:nuget/Serilog.AspNetCore@8.0.1', 'installed', '/app/WebApi.deps.json'],
      ['pkg:nuget/Serilog.Sinks.Console@5.0.0', 'installed', '/app/WebApi.deps.json'],
      ['pkg:nuget/Serilog@3.1.1', 'installed', '/app/WebApi.deps.json'],
    ]);
    assert.deepEqual(image.notices!.map((n) => [n.detector, n.message.split(':')[0]]), [['dotnet', '/app/Broken.deps.json']]);
    const dir = run('directory');
    assert.equal(dir.packages!.filter((p) => p.evidence === 'lockfile' && p.location === '/app/packages.lock.json').length, 5);
  });
});
