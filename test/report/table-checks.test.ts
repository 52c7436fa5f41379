import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableReporter } from '../../src/report/table.js';
import { efficiencyText } from '../../src/report/table-lean.js';
import { whereText } from '../../src/report/table-findings.js';
import { checksResult } from './checks-fixtures.js';
import { debianResult, debianVulnResult } from './fixtures.js';

/** The lines from the one starting with `first` up to the next blank line. */
const block = (text: string, first: string): string[] => {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => l.startsWith(first));
  if (start < 0) return [];
  const end = lines.findIndex((l, i) => i > start && l === '');
  return lines.slice(start, end < 0 ? undefined : end);
};
const cells = (line: string): string[] => line.trim().split(/ {2,}/);

describe('table reporter: misconfigurations and secrets', () => {
  it('says nothing about a scanner that did not run', () => {
    const text = tableReporter.render(debianResult());
    assert.ok(!/Misconfiguration|Secret|Lean image/.test(text));
    // Findings of a scanner not listed as run are not shown as its section either.
    const onlySecrets = checksResult();
    onlySecrets.scanners = ['secret'];
    const out = tableReporter.render(onlySecrets, { width: 120 });
    assert.deepEqual(block(out, 'Misconfigurations'), []);
    assert.match(out, /^Secrets: 6 /m);
  });

  it('says so when a scanner ran and found nothing', () => {
    const result = debianResult();
    result.scanners = ['vuln', 'misconfig', 'secret'];
    const text = tableReporter.render(result);
    assert.deepEqual(block(text, 'Misconfigurations'), ['Misconfigurations: 0 (CRITICAL 0, HIGH 0, MEDIUM 0, LOW 0, UNKNOWN 0)', 'No misconfigurations found.']);
    assert.deepEqual(block(text, 'Secrets'), ['Secrets: 0 (CRITICAL 0, HIGH 0, MEDIUM 0, LOW 0, UNKNOWN 0)', 'No secrets found.']);
    assert.ok(text.indexOf('No vulnerabilities found.') < text.indexOf('Misconfigurations:'), 'vulnerabilities first');
  });

  it('counts misconfigurations per severity, suppressed ones apart, and lists them most severe first', () => {
    const lines = block(tableReporter.render(checksResult(), { width: 120 }), 'Misconfigurations');
    assert.equal(lines[0], 'Misconfigurations: 8 (CRITICAL 0, HIGH 3, MEDIUM 2, LOW 3, UNKNOWN 0), 1 suppressed');
    assert.match(lines[1]!, /^ {2}SEVERITY {2}ID {2,}TITLE {2,}WHERE {2,}LAYER$/);
    const rows = lines.filter((l) => /^ {2}[A-Z]+ {2,}BW-/.test(l)).map(cells);
    assert.deepEqual(rows.map((r) => [r[0], r[1]]), [
      ['HIGH', 'BW-DF-001'], ['HIGH', 'BW-DF-002'], ['HIGH', 'BW-TEST-001'], ['MEDIUM', 'BW-DF-006'], ['MEDIUM', 'BW-DF-007'],
      ['LOW', 'BW-DF-014'], ['LOW', 'BW-DF-015'], ['LOW', 'BW-DF-018'], ['MEDIUM', 'BW-TEST-002'],
    ]);
    assert.deepEqual(rows[0], ['HIGH', 'BW-DF-001', 'Final stage runs as root', '/src/Dockerfile:5', '-']);
    assert.deepEqual(rows[2], ['HIGH', 'BW-TEST-001', 'Image runs as root', 'config.User', '-']);
    // What exactly was found follows its row; a description that only repeats the title is left out.
    const i = lines.findIndex((l) => l.includes('BW-DF-001'));
    assert.equal(lines[i + 1], "    the final stage's last USER is root");
    const j = lines.findIndex((l) => l.includes('BW-DF-018'));
    assert.ok(!lines[j + 1]!.startsWith('    '));
    // Columns line up.
    const found = lines.filter((l) => /^ {2}[A-Z]+ {2,}BW-/.test(l));
    assert.equal(new Set(found.map((l) => l.indexOf('BW-'))).size, 1);
  });

  it('lists suppressed findings last with what suppressed them', () => {
    const lines = block(tableReporter.render(checksResult(), { width: 120 }), 'Misconfigurations');
    const rest = lines.slice(lines.indexOf('Suppressed (1)'));
    assert.deepEqual(cells(rest[1]!), ['MEDIUM', 'BW-TEST-002', 'Network tools in the final image', '/usr/bin/curl', '1']);
    assert.equal(rest[2], '    curl (452 kB) is installed');
    assert.equal(rest[3], '    suppressed by ignore file entry in .bulwarkignore.yaml: health check uses curl');
  });

  it('shows secrets with file and line or config entry, layer, and the masked value only', () => {
    const lines = block(tableReporter.render(checksResult(), { width: 120 }), 'Secrets');
    assert.equal(lines[0], 'Secrets: 6 (CRITICAL 3, HIGH 2, MEDIUM 1, LOW 0, UNKNOWN 0)');
    const rows = lines.filter((l) => /^ {2}[A-Z]+ {2,}BW-SEC/.test(l)).map(cells);
    assert.deepEqual(rows.map((r) => [r[1], r[3], r[4]]), [
      ['BW-SEC-002', '/app/.env:4', '1'],
      ['BW-SEC-006', '/app/.env:2', '1'],
      ['BW-SEC-006', 'ENV API_TOKEN', '1'],
      ['BW-SEC-001', '/app/.env:3', '1'],
      ['BW-SEC-016', '/app/.env:6', '1'],
      ['BW-SEC-019', '/app/.env:5', '1'],
    ]);
    assert.ok(lines.includes('    GitHub personal access token in ENV API_TOKEN: ghp_********.'));
    assert.ok(lines.some((l) => /^ {4}AWS access key id: AKIA\*{8}\.$/.test(l)));
  });

  it('writes the place of a finding as path:line, path, resource or -', () => {
    const f = checksResult().findings[0]!;
    assert.equal(whereText({ ...f, location: { path: '/a', line: 3 } }), '/a:3');
    assert.equal(whereText({ ...f, location: { path: '/a' } }), '/a');
    assert.equal(whereText({ ...f, location: { resource: 'ENV X', line: 1 } }), 'ENV X');
    assert.equal(whereText({ ...f, location: {} }), '-');
  });

  it('fits the width', () => {
    for (const width of [80, 100, 140]) {
      const text = tableReporter.render(checksResult(), { width });
      for (const title of ['Misconfigurations', 'Secrets', 'Lean image', 'Wasted per layer', 'Top wasted paths', 'Largest directories', 'Removable tools']) {
        const lines = block(text, title);
        assert.ok(lines.length > 1, `${title} at ${width}`);
        for (const line of lines) assert.ok(line.length <= width, `${JSON.stringify(line)} fits in ${width}`);
      }
    }
  });

  it('colours severities only when colour is on, and dims suppressed rows', () => {
    const ESC = '\u001b[';
    assert.ok(!tableReporter.render(checksResult()).includes(ESC));
    const lines = tableReporter.render(checksResult(), { color: true, width: 140 }).replace(/\u001b\[1m|\u001b\[22m/g, '').split('\n');
    const row = (id: string): string => lines.find((l) => l.includes(id))!;
    assert.ok(row('BW-DF-001').includes(`${ESC}31mHIGH${ESC}39m`));
    assert.ok(row('BW-SEC-002').includes(`${ESC}31mCRITICAL${ESC}39m`));
    assert.ok(row('BW-DF-014').includes(`${ESC}34mLOW${ESC}39m`));
    assert.ok(!row('BW-TEST-002').includes(`${ESC}33m`));
    assert.ok(row('BW-TEST-002').includes(`${ESC}2m`));
  });

  it('renders the same bytes whatever the input order, and keeps the vulnerability section as it was', () => {
    const a = checksResult();
    const b = checksResult();
    b.findings.reverse();
    b.lean!.removableTools.reverse();
    b.lean!.efficiency!.wastedPaths.reverse();
    b.lean!.efficiency!.largestDirs.reverse();
    b.lean!.efficiency!.layers.reverse();
    assert.equal(tableReporter.render(a, { width: 100 }), tableReporter.render(b, { width: 100 }));

    const vulns = debianVulnResult();
    const both = { ...vulns, scanners: [...vulns.scanners, ...a.scanners], findings: [...vulns.findings, ...a.findings] };
    const vulnBlock = (text: string): string[] => block(text, 'Vulnerabilities');
    assert.deepEqual(vulnBlock(tableReporter.render(both, { width: 120 })), vulnBlock(tableReporter.render(vulns, { width: 120 })));
  });
});

describe('table reporter: lean image', () => {
  const text = tableReporter.render(checksResult(), { width: 120 });

  it('gives the efficiency score and the byte totals in human units', () => {
    assert.deepEqual(block(text, 'Lean image'), [
      'Lean image',
      'Efficiency           81.00 %',
      'In layers            123 MB',
      'In final filesystem  100 MB',
      'Wasted               23.5 MB (overwritten or deleted in a later layer)',
    ]);
    assert.equal(efficiencyText(1), '100.00 %');
    assert.equal(efficiencyText(0.99999), '99.99 %', 'never rounded up to 100 %');
    assert.equal(efficiencyText(0), '0.00 %');
  });

  it('lists the wasted bytes per layer, in layer order, with what created the layer', () => {
    const lines = block(text, 'Wasted per layer');
    assert.match(lines[1]!, /^ {2}# {4}ADDED {3}WASTED {6}FILES {2}CREATED BY$/);
    assert.deepEqual(cells(lines[2]!).slice(0, 4), ['0', '73.5 MB', '20.0 MB', '345/4,321']);
    assert.match(lines[2]!, /ADD file:5d6b/);
    assert.deepEqual(cells(lines[3]!).slice(0, 4), ['1', '50.0 MB', '3.46 MB', '12/1,200']);
    assert.match(lines[3]!, /RUN \/bin\/sh -c apt-get update/);
  });

  it('lists the top wasted paths and the largest directories, biggest first', () => {
    const paths = block(text, 'Top wasted paths (3)').slice(2).map(cells);
    assert.deepEqual(paths.map((p) => p.slice(0, 3)), [['8.00 MB', '0', 'deleted'], ['4.50 MB', '0, 1', 'overwritten'], ['20.0 kB', '0, 1', 'overwritten']]);
    assert.equal(paths[1]![3], '/usr/lib/x86_64-linux-gnu/libcrypto.so.3');
    const dirs = block(text, 'Largest directories (3)').slice(2).map(cells);
    assert.deepEqual(dirs, [['80.0 MB', '3,000', '/usr'], ['40.0 MB', '900', '/usr/lib'], ['30.0 MB', '1,500', '/usr/share']]);
  });

  it('lists removable tools with their sizes, largest first, and their total', () => {
    const lines = block(text, 'Removable tools');
    assert.equal(lines[0], 'Removable tools (3, 6.25 MB)');
    assert.deepEqual(lines.slice(2).map(cells), [
      ['package-manager', 'apt', '4.30 MB', '/usr/bin/apt, /usr/bin/apt-get'],
      ['shell', 'bash', '1.50 MB', '/bin/bash, /usr/bin/bash'],
      ['network-tool', 'curl', '452 kB', '/usr/bin/curl'],
    ]);
  });

  it('says when nothing is wasted and nothing is removable; a directory has tools only', () => {
    const clean = checksResult();
    clean.lean = {
      efficiency: { totalBytes: 1000, finalBytes: 1000, wastedBytes: 0, efficiency: 1, layers: [{ index: 0, addedBytes: 1000, addedFiles: 1, wastedBytes: 0, wastedFiles: 0 }], wastedPaths: [], largestDirs: [] },
      removableTools: [],
    };
    const out = tableReporter.render(clean, { width: 100 });
    assert.deepEqual(block(out, 'Lean image').slice(1, 2), ['Efficiency           100.00 %']);
    assert.match(out, /^No layer wastes bytes: nothing is overwritten or deleted later\.$/m);
    assert.match(out, /^No removable tools found\.$/m);
    assert.ok(!/Top wasted paths|Largest directories|Wasted per layer/.test(out));

    const dir = checksResult();
    dir.lean = { removableTools: [{ category: 'shell', paths: ['/bin/sh'], bytes: 120_000 }] };
    const dirOut = tableReporter.render(dir, { width: 100 });
    assert.deepEqual(block(dirOut, 'Lean image'), ['Lean image', 'Removable tools (1, 120 kB)', '  CATEGORY  PACKAGE    SIZE  PATHS', '  shell     -        120 kB  /bin/sh']);

    const none = checksResult();
    delete none.lean;
    assert.ok(!tableReporter.render(none).includes('Lean image'));
  });
});
