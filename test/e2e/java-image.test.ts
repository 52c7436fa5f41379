/**
 * The Java detector on a real Debian image (test/fixtures/java-app): Debian's own jars, a fat jar
 * assembled from them, and malformed archives. Oracle: `unzip -p` of each jar's pom.properties inside
 * the container (nested jars extracted first) and dpkg's version of the packages that installed them.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { Package } from '../../src/core/package.js';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { javaDetector } from '../../src/modules/detector/java/index.js';
import { scanImage } from '../../src/scan/image-scan.js';
import { openInput } from '../../src/sources/archive/open-input.js';
import { cachedImage, dpkgQueryOracle } from '../support/images.js';

const exec = promisify(execFile);
const CONTEXT = fileURLToPath(new URL('../fixtures/java-app/', import.meta.url));

/** Prints "== <location>" then the pom.properties of every jar outside /opt/bad, and of the jars nested in it. */
const ORACLE_SCRIPT = `
find / -xdev -type f \\( -name '*.jar' -o -name '*.war' -o -name '*.ear' \\) -not -path '/opt/bad/*' | sort | while read -r j; do
  echo "== $j"; unzip -p "$j" 'META-INF/maven/*/*/pom.properties' 2>/dev/null
  for n in $(unzip -Z1 "$j" | grep -E '\\.(jar|war)$'); do
    unzip -p "$j" "$n" > /tmp/nested.jar
    echo "== $j!/$n"; unzip -p /tmp/nested.jar 'META-INF/maven/*/*/pom.properties' 2>/dev/null
  done
done`;

/** "location purl" lines from the oracle's output. */
function parseOracle(stdout: string): string[] {
  const rows: string[] = [];
  let location = '';
  let props: Record<string, string> = {};
  const flush = () => {
    if (location && props['groupId'] && props['artifactId'] && props['version']) {
      rows.push(`${location} pkg:maven/${props['groupId']}/${props['artifactId']}@${props['version']}`);
    }
    props = {};
  };
  for (const line of stdout.split('\n')) {
    if (line.startsWith('== ')) {
      flush();
      location = line.slice(3);
    } else if (/^(groupId|artifactId|version)=/.test(line)) {
      // A new groupId after a full set starts the next pom.properties of the same jar.
      if (line.startsWith('groupId=') && props['groupId']) flush();
      const [key, value] = line.split('=', 2) as [string, string];
      props[key] = value.trim();
    }
  }
  flush();
  return rows.sort();
}

describe('java archives in a Debian image', () => {
  let image: string;
  let result: ImageScanResult;
  let work: string;
  before(async () => {
    const built = await cachedImage('java-app', CONTEXT);
    image = built.image;
    work = await mkdtemp(join(tmpdir(), 'bulwark-java-image-'));
    const source = await openInput(built.dockerArchive, { platform: { os: 'linux', architecture: 'amd64' }, tempDir: work });
    result = await scanImage(source, { detectors: [javaDetector] });
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const good = (p: Package) => !p.location.startsWith('/opt/bad/');

  it('reports exactly the pom.properties unzip finds, at the same (nested) locations', async () => {
    const { stdout } = await exec('docker', ['run', '--rm', '--network', 'none', '--entrypoint', 'bash', image, '-c', ORACLE_SCRIPT], { maxBuffer: 16 * 1024 * 1024 });
    const oracle = parseOracle(stdout);
    assert.ok(oracle.length >= 12, `oracle found only ${oracle.length} artifacts`);
    assert.ok(oracle.includes('/opt/app/demo-app.jar!/BOOT-INF/lib/commons-lang3.jar pkg:maven/org.apache.commons/commons-lang3@3.12.0'));
    const scanned = result.packages.filter(good).map((p) => `${p.location} ${p.purl}`).sort();
    assert.deepEqual(scanned, oracle);
    for (const p of result.packages) {
      assert.equal(p.type, 'maven');
      assert.equal(p.evidence, 'installed');
      assert.equal(p.name, p.purl.replace(/^pkg:maven\/([^/]+)\/([^@]+)@.*$/, '$1:$2'));
      assert.ok(p.layer, `${p.location} has a layer`);
    }
  });

  it('agrees with the upstream part of the Debian package versions', async () => {
    const dpkg = new Map((await dpkgQueryOracle(image)).map((r) => [r.package, r.version]));
    const upstream = (name: string) => dpkg.get(name)!.replace(/^\d+:/, '').replace(/-[^-]+$/, '');
    const at = (path: string) => result.packages.find((p) => p.location === path)!;
    assert.equal(at('/usr/share/java/commons-lang3.jar').version, upstream('libcommons-lang3-java'));
    for (const jar of ['slf4j-api', 'slf4j-simple', 'jcl-over-slf4j']) {
      assert.equal(at(`/usr/share/java/${jar}.jar`).version, upstream('libslf4j-java'), jar);
    }
    // The jars came from the apt layer, the fat jar from the next one.
    assert.equal(at('/usr/share/java/slf4j-api.jar').layer!.index + 1, at('/opt/app/demo-app.jar').layer!.index);
  });

  it('warns about each malformed archive by path and still reports its neighbours', () => {
    const warnings = result.notices.filter((n) => n.level === 'warning').map((n) => n.message).sort();
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0]!, /^\/opt\/bad\/not-a-zip\.jar: not a readable zip archive/);
    assert.match(warnings[1]!, /^\/opt\/bad\/truncated-3\.12\.0\.jar: not a readable zip archive/);
    assert.match(warnings[2]!, /^\/opt\/bad\/with-bomb\.jar!\/BOOT-INF\/lib\/bomb-1\.0\.jar: inflates to \d+ bytes, over the \d+ byte limit: possible zip bomb/);
    assert.deepEqual(
      result.packages.filter((p) => !good(p)).map((p) => `${p.location} ${p.purl}`),
      ['/opt/bad/with-bomb.jar!/BOOT-INF/lib/slf4j-api.jar pkg:maven/org.slf4j/slf4j-api@1.7.32'],
    );
  });
});
