import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { tableReporter } from '../../src/report/table.js';
import { cleanCreatedBy, humanSize } from '../../src/report/text-table.js';
import { alpineResult, debianResult, rockyResult } from './fixtures.js';

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
});
