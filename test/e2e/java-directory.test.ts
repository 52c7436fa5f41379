/**
 * The Java detector on a directory: a Spring-Boot-like fat jar, a WAR and an EAR assembled by the
 * JDK's `jar` tool from real Debian jars (taken out of test/fixtures/java-app), pom.xml, a Gradle
 * lockfile, and malformed archives. Oracle: `unzip -p` of each Debian jar's pom.properties.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { after, before, describe, it } from 'node:test';
import type { ImageScanResult } from '../../src/core/scan-result.js';
import { javaDetector } from '../../src/modules/detector/java/index.js';
import { scanDirectory } from '../../src/scan/directory-scan.js';
import { cachedImage } from '../support/images.js';

const exec = promisify(execFile);
const CONTEXT = fileURLToPath(new URL('../fixtures/java-app/', import.meta.url));
const JARS = ['commons-lang3', 'slf4j-api', 'slf4j-simple', 'jcl-over-slf4j'];
const hasJar = (() => {
  try {
    execFileSync('jar', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

async function jar(args: string[], cwd: string): Promise<void> {
  await exec('jar', args, { cwd });
}

/** The purl unzip reads from a jar's pom.properties. */
async function oraclePurl(path: string): Promise<string> {
  const { stdout } = await exec('unzip', ['-p', path, 'META-INF/maven/*/*/pom.properties']);
  const props = Object.fromEntries(stdout.split('\n').filter((l) => l.includes('=')).map((l) => l.split('=', 2).map((s) => s.trim())));
  return `pkg:maven/${props['groupId']}/${props['artifactId']}@${props['version']}`;
}

describe('java archives and manifests in a directory', { skip: !hasJar && 'the JDK jar tool is not installed' }, () => {
  let work: string;
  let root: string;
  let result: ImageScanResult;
  const expected = new Map<string, string>();
  before(async () => {
    const { image } = await cachedImage('java-app', CONTEXT);
    work = await mkdtemp(join(tmpdir(), 'bulwark-java-dir-'));
    root = join(work, 'root');
    const debian = join(work, 'debian');
    await mkdir(debian);
    for (const name of JARS) {
      const { stdout } = await exec('docker', ['run', '--rm', '--network', 'none', '--entrypoint', 'cat', image, `/usr/share/java/${name}.jar`], { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024 });
      await writeFile(join(debian, `${name}.jar`), stdout);
      expected.set(name, await oraclePurl(join(debian, `${name}.jar`)));
    }
    const stage = async (dir: string, files: Record<string, string | Buffer>) => {
      for (const [path, content] of Object.entries(files)) {
        await mkdir(join(dir, path, '..'), { recursive: true });
        await writeFile(join(dir, path), content);
      }
    };
    const pomProps = (g: string, a: string, v: string) => ({ [`META-INF/maven/${g}/${a}/pom.properties`]: `groupId=${g}\nartifactId=${a}\nversion=${v}\n` });
    const debianJar = (name: string) => readFile(join(debian, `${name}.jar`));
    await mkdir(join(root, 'srv'), { recursive: true });

    // Spring Boot layout: the app's classes and pom, Debian jars stored under BOOT-INF/lib (jar -0).
    const boot = join(work, 'boot');
    await stage(boot, { ...pomProps('com.example', 'boot-app', '1.0.0'), 'BOOT-INF/classes/App.class': 'x', 'BOOT-INF/lib/commons-lang3.jar': await debianJar('commons-lang3'), 'BOOT-INF/lib/slf4j-api.jar': await debianJar('slf4j-api') });
    await jar(['--create', '--no-compress', '--file', join(root, 'srv/boot-app.jar'), '--main-class', 'org.springframework.boot.loader.JarLauncher', '-C', boot, '.'], work);

    // A WAR with WEB-INF/lib, then an EAR holding that WAR and a library: two nesting levels.
    const web = join(work, 'web');
    await stage(web, { ...pomProps('com.example', 'web', '2.0'), 'WEB-INF/web.xml': '<web-app/>', 'WEB-INF/lib/slf4j-simple.jar': await debianJar('slf4j-simple'), 'WEB-INF/lib/jcl-over-slf4j.jar': await debianJar('jcl-over-slf4j') });
    await jar(['--create', '--file', join(work, 'web.war'), '-C', web, '.'], work);
    const ear = join(work, 'ear');
    await stage(ear, { 'META-INF/application.xml': '<application/>', 'web.war': await readFile(join(work, 'web.war')), 'lib/commons-lang3.jar': await debianJar('commons-lang3') });
    await jar(['--create', '--file', join(root, 'srv/shop-3.1.ear'), '-C', ear, '.'], work);

    // Malformed: not a zip, truncated, and a nested bomb (a 100 MiB stored jar deflated) beside a good jar.
    await writeFile(join(root, 'srv/not-a-zip.jar'), 'plain text\n');
    const lang = await debianJar('commons-lang3');
    await writeFile(join(root, 'srv/truncated.jar'), lang.subarray(0, lang.length - 1000));
    const bomb = join(work, 'bomb');
    await stage(bomb, { 'zeros.bin': Buffer.alloc(100 * 1024 * 1024) });
    await exec('zip', ['-q', '-0', join(work, 'bomb.jar'), 'zeros.bin'], { cwd: bomb });
    const bombOuter = join(work, 'bomb-outer');
    await stage(bombOuter, { 'WEB-INF/lib/bomb.jar': await readFile(join(work, 'bomb.jar')), 'WEB-INF/lib/slf4j-api.jar': await debianJar('slf4j-api') });
    await exec('zip', ['-q', '-9', '-r', join(root, 'srv/bombed.war'), 'WEB-INF'], { cwd: bombOuter });

    // Manifests, read in directories only.
    await stage(join(root, 'src'), {
      'pom.xml': `<project><groupId>com.example</groupId><artifactId>svc</artifactId><version>1</version>
        <properties><guava.version>32.1.2-jre</guava.version></properties>
        <dependencies>
          <dependency><groupId>com.google.guava</groupId><artifactId>guava</artifactId><version>\${guava.version}</version></dependency>
          <dependency><groupId>org.junit.jupiter</groupId><artifactId>junit-jupiter</artifactId><version>5.10.0</version><scope>test</scope></dependency>
        </dependencies></project>`,
      'gradle.lockfile': 'org.slf4j:slf4j-api:2.0.9=compileClasspath,runtimeClasspath\njunit:junit:4.13.2=testCompileClasspath\nempty=\n',
      'broken/pom.xml': '<project><dependencies>',
    });
    result = await scanDirectory(root, { detectors: [javaDetector] });
  });
  after(async () => {
    if (work) await rm(work, { recursive: true, force: true });
  });

  const rows = () => result.packages.map((p) => `${p.location} ${p.purl}${p.scope ? ` ${p.scope}` : ''}`).sort();

  it('reports every artifact of the fat jar, the WAR and the EAR with the GAV unzip reads', () => {
    const want = [
      `/srv/boot-app.jar pkg:maven/com.example/boot-app@1.0.0`,
      `/srv/boot-app.jar!/BOOT-INF/lib/commons-lang3.jar ${expected.get('commons-lang3')}`,
      `/srv/boot-app.jar!/BOOT-INF/lib/slf4j-api.jar ${expected.get('slf4j-api')}`,
      `/srv/shop-3.1.ear pkg:maven/shop/shop@3.1`,
      `/srv/shop-3.1.ear!/lib/commons-lang3.jar ${expected.get('commons-lang3')}`,
      `/srv/shop-3.1.ear!/web.war pkg:maven/com.example/web@2.0`,
      `/srv/shop-3.1.ear!/web.war!/WEB-INF/lib/jcl-over-slf4j.jar ${expected.get('jcl-over-slf4j')}`,
      `/srv/shop-3.1.ear!/web.war!/WEB-INF/lib/slf4j-simple.jar ${expected.get('slf4j-simple')}`,
      `/srv/bombed.war!/WEB-INF/lib/slf4j-api.jar ${expected.get('slf4j-api')}`,
    ];
    assert.equal(expected.get('commons-lang3'), 'pkg:maven/org.apache.commons/commons-lang3@3.12.0');
    const archives = rows().filter((r) => r.startsWith('/srv/')).map((r) => r.replace(/ (prod|dev|optional)$/, ''));
    assert.deepEqual(archives, want.sort());
    const ear = result.notices.find((n) => n.level === 'info' && n.message.includes('shop-3.1.ear:'));
    assert.match(ear?.message ?? '', /identified from its file name .*no group known/);
  });

  it('reads pom.xml and gradle.lockfile with scopes, and warns on broken XML', () => {
    const manifests = rows().filter((r) => r.startsWith('/src/'));
    assert.deepEqual(manifests, [
      '/src/gradle.lockfile pkg:maven/junit/junit@4.13.2 dev',
      '/src/gradle.lockfile pkg:maven/org.slf4j/slf4j-api@2.0.9 prod',
      '/src/pom.xml pkg:maven/com.google.guava/guava@32.1.2-jre prod',
      '/src/pom.xml pkg:maven/org.junit.jupiter/junit-jupiter@5.10.0 dev',
    ]);
    for (const p of result.packages) assert.equal(p.evidence, p.location.startsWith('/src/') ? 'lockfile' : 'installed');
    assert.ok(result.notices.some((n) => n.level === 'warning' && n.message.startsWith('/src/broken/pom.xml: invalid XML')));
  });

  it('warns about the non-zip, the truncated jar and the nested bomb, by path', () => {
    const warnings = result.notices.filter((n) => n.level === 'warning' && n.message.startsWith('/srv/')).map((n) => n.message).sort();
    assert.equal(warnings.length, 3, warnings.join('\n'));
    assert.match(warnings[0]!, /^\/srv\/bombed\.war!\/WEB-INF\/lib\/bomb\.jar: inflates to \d+ bytes, over the \d+ byte limit: possible zip bomb/);
    assert.match(warnings[1]!, /^\/srv\/not-a-zip\.jar: not a readable zip archive/);
    assert.match(warnings[2]!, /^\/srv\/truncated\.jar: not a readable zip archive/);
  });
});
