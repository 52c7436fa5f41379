import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { scanSecretsInText } from '../../src/modules/secrets/index.js';
import { ALNUM, UPPER_DIGITS, fake } from './fake.js';

const target = 'bulwark-test/debian:bookworm';
const scan = (path: string, text: string) => scanSecretsInText(text, { target, path }).map((f) => `${f.id} line ${f.location.line}`);

/** /etc/nsswitch.conf of Debian bookworm (also /usr/share/libc-bin/nsswitch.conf), as shipped. */
const NSSWITCH = `# /etc/nsswitch.conf
#
# Example configuration of GNU Name Service Switch functionality.
# If you have the \`glibc-doc-reference' and \`info' packages installed, try:
# \`info libc "Name Service Switch"' for information about this file.

passwd:         files
group:          files
shadow:         files
gshadow:        files

hosts:          files dns
networks:       files

protocols:      db files
services:       db files
ethers:         db files
rpc:            db files

netgroup:       nis
`;

describe('files of the Debian base image that are not secrets', () => {
  it('nsswitch.conf, in both places the base image has it', () => {
    assert.deepEqual(scan('/etc/nsswitch.conf', NSSWITCH), []);
    assert.deepEqual(scan('/usr/share/libc-bin/nsswitch.conf', NSSWITCH), []);
  });

  it("perl-base's Config_heavy.pl (Configure's define/undef flags)", () => {
    const text = "d_grpasswd='define'\nd_pwpasswd='define'\ni_pwd='define'\nd_getspnam='define'\npasscat='cat /etc/passwd'\n";
    assert.deepEqual(scan('/usr/lib/x86_64-linux-gnu/perl-base/Config_heavy.pl', text), []);
  });

  it('lintian overrides name a package and a tag: `base-passwd: no-debconf-config`', () => {
    assert.deepEqual(scan('/usr/share/lintian/overrides/base-passwd', 'base-passwd: no-debconf-config\n'), []);
    // The same line anywhere else reads as a password under a key that names one.
    assert.deepEqual(scan('/etc/app/config.yaml', 'base-passwd: no-debconf-config\n'), ['BW-SEC-019 line 1']);
  });

  it('other rules still apply in a lintian overrides file', () => {
    const text = `base-passwd: no-debconf-config\n# aws_access_key_id = AKIA${fake('lintian-akia', UPPER_DIGITS, 16)}\n`;
    assert.deepEqual(scan('/usr/share/lintian/overrides/base-passwd', text), ['BW-SEC-001 line 2']);
  });

  it('a password under the key passwd is still reported', () => {
    assert.deepEqual(scan('/etc/app.conf', `passwd: ${fake('debian-passwd', ALNUM, 14)}\n`), ['BW-SEC-019 line 1']);
  });
});

describe('generic password rules in distro documentation and runtime libraries', () => {
  it('skip the Python stdlib example and a CVS root in a copyright file, but not /etc or app code, and tokens still count there', () => {
    const example = "        auth.add_password(realm='PDQ Application',\n                      uri='https://mahler:8092/site-updates.py',\n                      user='klem',\n                      passwd='geheim$parole')\n";
    assert.deepEqual(scanSecretsInText(example, { target: 't', path: '/usr/lib/python3.11/urllib/request.py' }).map((f) => f.id), []);
    assert.deepEqual(scanSecretsInText(example, { target: 't', path: '/app/client.py' }).map((f) => f.id), ['BW-SEC-019']);
    const cvs = 'It was downloaded from:\n\n  cvs://:pserver:anoncvs@sources.redhat.com:/cvs/src\n';
    assert.deepEqual(scanSecretsInText(cvs, { target: 't', path: '/srv/notes.txt' }), [], 'a CVS root is not a password');
    const url = 'DATABASE_URL=postgres://app:Zq8vLm2xPw@db:5432/app\n';
    assert.deepEqual(scanSecretsInText(url, { target: 't', path: '/usr/share/doc/app/README' }), []);
    assert.deepEqual(scanSecretsInText(url, { target: 't', path: '/etc/app/env' }).map((f) => f.id), ['BW-SEC-018']);
    const token = `ghp_${fake('distro-text-token', ALNUM, 36)}`;
    assert.equal(scanSecretsInText(`token: ${token}\n`, { target: 't', path: '/usr/share/doc/app/README' }).length, 1, 'specific token rules still look in docs');
  });
});
