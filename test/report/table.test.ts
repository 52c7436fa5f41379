import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableReporter } from '../../src/report/table.js';
import { cleanCreatedBy, humanSize } from '../../src/report/text-table.js';
import { alpineResult, debianResult, debianVulnResult, rockyResult } from './fixtures.js';

const section = (text: string, title: string): string[] => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(title));
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start + 1, end < 0 ? undefined : end);
};

describe('table reporter', () => {
  it('summarises the image', () => {
    const text = tableReporter.render(debianResult(), { width: 100 });
    assert.match(text, /^Image {5}docker\.io\/library\/debian:12$/m);
    assert.match(text, /^Image ID {2}6d00af5c0a54$/m);
    assert.match(text, /^OS {8}Debian GNU\/Linux 12 \(bookworm\)$/m);
    assert.match(text, /^Platform {2}linux\/amd64$/m);
    assert.match(text, /^Packages {2}8 \(deb 8\)$/m);
    assert.match(tableReporter.render(rockyResult()), /^Platform {2}linux\/arm64\/v8$/m);
  });

  it('lists layers with short ids, sizes and cleaned created_by cut to the width', () => {
    for (const width of [60, 80, 120]) {
      const layers = section(tableReporter.render(debianResult(), { width }), 'Layers');
      assert.equal(layers.length, 3);
      assert.match(layers[0]!, /^# {2}DIFF ID {10}SIZE {2}CREATED BY$/);
      assert.match(layers[1]!, /^0 {2}[0-9a-f]{12} {2}37\.0 MB {2}ADD file:5d6b/);
      assert.ok(layers.every((l) => l.length <= width), `fits in ${width}`);
      assert.ok(!layers.join('\n').includes('#(nop)'));
      assert.ok(!layers.join('\n').includes('# buildkit'));
    }
    const wide = section(tableReporter.render(debianResult(), { width: 300 }), 'Layers');
    assert.ok(wide[1]!.endsWith('in /'), 'not cut when there is room');
  });

  it('aligns the package columns and shows the source only when it differs', () => {
    const rows = section(tableReporter.render(debianResult(), { width: 80 }), 'Packages (');
    const header = rows[0]!;
    const col = (name: string): number => header.indexOf(name);
    assert.deepEqual(rows.slice(1).map((r) => r.slice(0, col('VERSION')).trim()), ['curl', 'libc6', 'libssl3', 'libstdc++6', 'login', 'perl-base', 'tzdata', 'zlib1g']);
    for (const row of rows.slice(1)) assert.match(row.slice(col('TYPE')), /^deb /);
    const login = rows.find((r) => r.startsWith('login '))!;
    assert.equal(login.slice(col('SOURCE')).trim().split(/\s+/)[0], 'shadow');
    const curl = rows.find((r) => r.startsWith('curl '))!;
    assert.match(curl.slice(col('SOURCE')), /^\s+1$/);
    const apk = section(tableReporter.render(alpineResult()), 'Packages (');
    assert.match(apk.find((r) => r.startsWith('ssl_client'))!, /busybox/);
  });

  it('has no escape codes unless colour is asked for', () => {
    assert.ok(!tableReporter.render(debianResult()).includes('\u001b['));
    assert.ok(tableReporter.render(debianResult(), { color: true }).includes('\u001b[1m'));
  });

  it('formats sizes and created_by', () => {
    assert.equal(humanSize(512), '512 B');
    assert.equal(humanSize(1_234_567), '1.23 MB');
    assert.equal(humanSize(74_000_000), '74.0 MB');
    assert.equal(humanSize(2_500_000_000), '2.50 GB');
    assert.equal(cleanCreatedBy('/bin/sh -c #(nop)  CMD ["bash"]'), 'CMD ["bash"]');
    assert.equal(cleanCreatedBy('RUN /bin/sh -c apt-get update\n\t&& true # buildkit'), 'RUN /bin/sh -c apt-get update && true');
  });

  describe('vulnerabilities', () => {
    const vulnSection = (text: string): string[] => {
      const lines = text.split('\n');
      const start = lines.findIndex((l) => l.startsWith('Vulnerabilities: '));
      const end = lines.findIndex((l, i) => i > start && l === '');
      return start < 0 ? [] : lines.slice(start, end);
    };
    const ESC = '\u001b[';

    it('says nothing about vulnerabilities when the scanner did not run', () => {
      const text = tableReporter.render(debianResult());
      assert.ok(!text.includes('Vulnerabilit'));
    });

    it('says so when the scanner found nothing', () => {
      const result = debianResult();
      result.scanners = ['vuln'];
      assert.deepEqual(vulnSection(tableReporter.render(result)), ['Vulnerabilities: 0 (CRITICAL 0, HIGH 0, MEDIUM 0, LOW 0, UNKNOWN 0)', 'No vulnerabilities found.']);
    });

    it('counts per severity, leaving suppressed findings out of the counts', () => {
      const [summary] = vulnSection(tableReporter.render(debianVulnResult(), { width: 100 }));
      assert.equal(summary, 'Vulnerabilities: 8 (CRITICAL 1, HIGH 3, MEDIUM 2, LOW 1, UNKNOWN 1), 2 suppressed');
      const narrow = vulnSection(tableReporter.render(debianVulnResult(), { width: 80 }));
      assert.deepEqual(narrow.slice(0, 2), ['Vulnerabilities: 8 (CRITICAL 1, HIGH 3, MEDIUM 2, LOW 1, UNKNOWN 1)', '2 suppressed']);
      const result = debianVulnResult();
      result.findings = result.findings.filter((f) => !f.suppressed);
      assert.equal(vulnSection(tableReporter.render(result))[0], 'Vulnerabilities: 8 (CRITICAL 1, HIGH 3, MEDIUM 2, LOW 1, UNKNOWN 1)');
    });

    it('groups findings by package, most severe first, with status, other ids and title', () => {
      const lines = vulnSection(tableReporter.render(debianVulnResult(), { width: 250 }));
      const header = lines[1]!;
      assert.match(header, /^ {2}ID {2,}SEVERITY {2}FIXED IN \/ STATUS {2,}OTHER IDS {2,}TITLE$/);
      const packages = lines.filter((l) => !l.startsWith(' ') && l !== lines[0]);
      assert.deepEqual(packages, [
        'curl 7.88.1-10+deb12u5 (deb, layer 1)',
        'libc6 2.36-9+deb12u4 (deb, source glibc, layer 0)',
        'libssl3 3.0.11-1~deb12u2 (deb, source openssl, layer 1)',
        'openssl 3.0.11-1~deb12u2 (deb, layer 1)',
        'perl-base 5.36.0-7+deb12u1 (deb, source perl, layer 0)',
        'braces 3.0.2 (npm, layer 1)',
        'lodash 4.17.x (npm, layer 1)',
        'Suppressed (2)',
        'login 1:4.13+dfsg1-1 (deb, source shadow, layer 0)',
        'zlib1g 1:1.2.13.dfsg-1 (deb, source zlib, layer 0)',
      ]);
      const cells = (line: string): string[] => line.trim().split(/ {2,}/);
      const libc = lines.indexOf(packages[1]!);
      assert.deepEqual(cells(lines[libc + 1]!), ['CVE-2024-2961', 'HIGH', '2.36-9+deb12u7', 'DSA-5673-1', 'glibc: out-of-bounds write in iconv ISO-2022-CN-EXT']);
      assert.deepEqual(cells(lines[libc + 2]!), ['CVE-2023-4806', 'LOW', 'will not fix (no-dsa)', 'glibc: potential use-after-free in getaddrinfo()']);
      const lodash = lines.indexOf('lodash 4.17.x (npm, layer 1)');
      assert.deepEqual(cells(lines[lodash + 1]!), ['CVE-2021-23337', 'HIGH', 'possibly affected (unparseable version); fixed in 4.17.21', 'GHSA-35jh-r3h4-6jhm', 'Command Injection in lodash']);
      const perl = lines.indexOf(packages[4]!);
      assert.deepEqual(cells(lines[perl + 1]!).slice(0, 3), ['CVE-2011-4116', 'UNKNOWN', 'no fix yet']);
      // Columns line up across packages.
      const rows = lines.filter((l) => /^ {2}CVE-/.test(l));
      assert.equal(new Set(rows.map((r) => r.indexOf(cells(r)[1]!))).size, 1);
    });

    it('lists suppressed findings last, each with what suppressed it', () => {
      const lines = vulnSection(tableReporter.render(debianVulnResult(), { width: 250 }));
      const block = lines.slice(lines.indexOf('Suppressed (2)'));
      assert.match(block[2]!, /^ {2}CVE-2023-4641 +MEDIUM +fix deferred \(postponed\)/);
      assert.equal(block[3], '    suppressed by ignore file entry in .bulwarkignore.yaml: no interactive users in this image');
      assert.match(block[5]!, /^ {2}CVE-2023-45853 +CRITICAL/);
      assert.equal(block[6], '    suppressed by VEX statement in vex/debian.openvex.json (vulnerable_code_not_present): minizip is not built into the zlib1g package');
    });

    it('fits the width, cutting titles and long cells', () => {
      for (const width of [80, 100, 120]) {
        const lines = vulnSection(tableReporter.render(debianVulnResult(), { width }));
        assert.ok(lines.length > 10);
        for (const line of lines) assert.ok(line.length <= width, `${JSON.stringify(line)} fits in ${width}`);
      }
      const narrow = vulnSection(tableReporter.render(debianVulnResult(), { width: 80 }));
      assert.ok(narrow.some((l) => l.includes('CVE-2023-38545') && l.endsWith('...')), 'a title is cut at 80 columns');
      const wide = vulnSection(tableReporter.render(debianVulnResult(), { width: 250 }));
      assert.ok(wide.every((l) => !l.endsWith('...')), 'nothing is cut when there is room');
    });

    it('colours severities only when colour is on', () => {
      assert.ok(!tableReporter.render(debianVulnResult()).includes(ESC));
      const lines = vulnSection(tableReporter.render(debianVulnResult(), { color: true, width: 250 }).replace(/\u001b\[1m|\u001b\[22m/g, ''));
      const row = (id: string): string => lines.find((l) => l.includes(id))!;
      assert.ok(row('CVE-2024-2961').includes(`${ESC}31mHIGH${ESC}39m`));
      assert.ok(row('CVE-2024-0727').includes(`${ESC}33mMEDIUM${ESC}39m`));
      assert.ok(row('CVE-2023-4806').includes(`${ESC}34mLOW${ESC}39m`));
      assert.ok(row('CVE-2023-38545').includes(`${ESC}31mCRITICAL${ESC}39m`));
      // A suppressed row is dimmed, not coloured.
      assert.ok(!row('CVE-2023-45853').includes(`${ESC}31m`));
      assert.ok(row('CVE-2023-45853').includes(`${ESC}2m`));
    });

    it('ends with the database age and says when it is stale', () => {
      const last = (text: string): string => text.trimEnd().split('\n').at(-1)!;
      assert.equal(last(tableReporter.render(debianVulnResult())), 'Vulnerability DB: updated 2024-04-29T06:00:00.000Z (2 days before the scan); 2 sources, 67,107 records');
      const stale = debianVulnResult();
      stale.vulnerabilityDb = { ...stale.vulnerabilityDb!, updatedAt: '2024-05-01T10:00:00.000Z', stale: true };
      assert.equal(last(tableReporter.render(stale)), 'Vulnerability DB: updated 2024-05-01T10:00:00.000Z (2 hours before the scan); 2 sources, 67,107 records; STALE: run `bulwark db update`');
    });

    it('renders the same bytes twice', () => {
      const a = debianVulnResult();
      const b = debianVulnResult();
      b.findings.reverse();
      assert.equal(tableReporter.render(a, { width: 100 }), tableReporter.render(b, { width: 100 }));
    });
  });
});
