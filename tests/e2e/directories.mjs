// Real directory servers for the end-to-end tests, the same ones the
// backend's own LDAP tests use (scripts/directory/README.md):
//   startSlapd()     Debian's slapd on free loopback ports (LDAP and LDAPS),
//                    a throw-away configuration with ppolicy;
//   startSambaDc()   Samba's Active Directory domain controller on its fixed
//                    ports 389/636, holding the lock file the Rust tests hold
//                    (backend/tests/support/samba.rs), so one DC at a time.
// Both are seeded with the demo users. Each answers `backendArgs()` (the
// reference backend's `--directory ldap ...` flags, over LDAPS with the
// server's test CA) and `bind(id, password)`: what the server itself says
// to that password, from OpenLDAP's command-line tools.
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

const ROOT = resolve(import.meta.dirname, '../..');
const SCRIPTS = join(ROOT, 'scripts/directory');
const run = promisify(execFile);

/** The service account's password, and the seeded users' (published, demo only). */
export const SERVICE_PASSWORD = 'Svc-Reset-Demo-2026-q7';
export const SEED_PASSWORDS = Object.freeze({
  diane: 'Diane-Seed-Pw-2026-xR4',
  bob: 'Bob-Seed-Pw-2026-mT8',
  carol: 'Carol-Seed-Pw-2026-vB3',
  erin: 'Erin-Seed-Pw-2026-kP6',
});
/** diane is in the admin group of both seeds. */
export const DIANE = Object.freeze({ userId: 'diane', password: SEED_PASSWORDS.diane });

async function freePort() {
  const server = createServer();
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address();
  await new Promise((r) => server.close(r));
  return port;
}

/** Runs an OpenLDAP tool; `{ code, output }` (stdout and stderr), never throws on its exit code. */
async function tool(name, args, { caFile, input } = {}) {
  const child = spawn(name, args, {
    env: { ...process.env, LDAPTLS_CACERT: caFile ?? '', LDAPTLS_REQCERT: 'demand' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (c) => { output += c; });
  child.stderr.on('data', (c) => { output += c; });
  child.stdin.end(input ?? '');
  const code = await new Promise((r) => child.on('close', r));
  return { code, output };
}

/**
 * What the server says to a simple bind as `dn` with `password`:
 * `{ accepted, mustChange, output }`. OpenLDAP (asked with the ppolicy
 * control) binds a user whose password was reset and says "Password must
 * be changed"; Active Directory refuses the bind with `data 773`, which
 * means the password is right but must be changed first.
 */
async function bindAs(url, caFile, dn, password, flavour) {
  // Samba has no "Who am I?" operation: a base search of the root DSE after
  // the bind instead (which slapd would refuse a must-change user).
  const { code, output } = flavour === 'openldap'
    ? await tool('ldapwhoami', ['-x', '-H', url, '-D', dn, '-w', password, '-e', 'ppolicy'], { caFile })
    : await tool('ldapsearch', ['-x', '-H', url, '-D', dn, '-w', password, '-b', '', '-s', 'base', 'dn'], { caFile });
  const ad773 = /data 773,/.test(output);
  return {
    accepted: code === 0 || ad773,
    mustChange: ad773 || /Password must be changed/.test(output),
    output,
  };
}

/** The first value of `attribute` in the entries `ldapsearch` printed, or null. */
function firstValue(output, attribute) {
  const line = output.split('\n').find((l) => l.toLowerCase().startsWith(attribute.toLowerCase() + ': '));
  return line ? line.slice(attribute.length + 2) : null;
}

/**
 * Starts slapd (scripts/directory/slapd.sh) in a temp folder on free ports.
 * `stop()` kills it (the data stays), `start()` starts it again on the same
 * ports with the same data, `remove()` stops it and deletes the folder.
 */
export async function startSlapd() {
  const dir = mkdtempSync(join(tmpdir(), 'reset-e2e-slapd-'));
  const port = await freePort();
  const ldapsPort = await freePort();
  const url = `ldaps://127.0.0.1:${ldapsPort}/`;
  const caFile = join(dir, 'tls/ca.pem');
  const rootDn = 'cn=root,dc=contoso,dc=test';
  const rootPassword = 'root-Seed-Only-7Kq2';
  let pid = null;
  const server = {
    flavour: 'openldap',
    dir,
    url,
    caFile,
    dnOf: (id) => `uid=${id},ou=people,dc=contoso,dc=test`,
    async start() {
      const { stdout } = await run(join(SCRIPTS, 'slapd.sh'), [dir, String(port), String(ldapsPort)]);
      pid = Number(stdout.trim());
    },
    /** Kills slapd and waits until it no longer answers. */
    async stop() {
      if (pid === null) return;
      process.kill(pid, 'SIGTERM');
      pid = null;
      await waitUntil(async () => !(await answers(url, caFile)), 'slapd to stop');
    },
    async remove() {
      await server.stop();
      rmSync(dir, { recursive: true, force: true });
    },
    backendArgs() {
      const file = join(dir, 'service.pw');
      writeFileSync(file, SERVICE_PASSWORD + '\n', { mode: 0o600 });
      return ['--directory', 'ldap', '--ldap-flavour', 'openldap', '--ldap-url', url, '--ldap-ca-file', caFile,
        '--bind-dn', 'cn=reset-service,ou=services,dc=contoso,dc=test', '--bind-password-file', file,
        '--base-dn', 'dc=contoso,dc=test', '--admin-group', 'cn=reset-admins,ou=groups,dc=contoso,dc=test'];
    },
    bind: (id, password) => bindAs(url, caFile, server.dnOf(id), password, server.flavour),
    /** An attribute of the user's entry, read as slapd's root DN (operational ones too). */
    async attribute(id, attribute) {
      const { code, output } = await tool('ldapsearch', ['-x', '-H', url, '-D', rootDn, '-w', rootPassword,
        '-LLL', '-o', 'ldif-wrap=no', '-s', 'base', '-b', server.dnOf(id), attribute], { caFile });
      if (code !== 0) throw new Error(`ldapsearch answered ${code}: ${output}`);
      return firstValue(output, attribute);
    },
  };
  await server.start();
  return server;
}

/** Whether anything completes a TLS handshake and answers a rootDSE search at `url`. */
async function answers(url, caFile) {
  const { code } = await tool('ldapsearch', ['-x', '-H', url, '-o', 'nettimeout=1', '-b', '', '-s', 'base', 'namingContexts'], { caFile });
  return code === 0 || code === 50; // 50: insufficient access (AD refuses anonymous searches); either way it answered
}

/** Whether something accepts connections on 127.0.0.1:`port`. */
function listening(port) {
  return new Promise((r) => {
    const socket = connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => { socket.destroy(); r(true); });
    socket.once('error', () => r(false));
  });
}

async function waitUntil(condition, what, ms = 20_000) {
  const end = Date.now() + ms;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Starts a Samba AD DC (scripts/directory/samba-dc.sh) provisioned afresh in
 * a temp folder, in the foreground with its standard input a pipe (it stops
 * when the pipe closes, this process's end included). First takes the lock
 * file the Rust tests take, with flock(1), and keeps it until `remove()`.
 */
export async function startSambaDc() {
  const lock = spawn('flock', ['--exclusive', join(tmpdir(), 'reset-backend-samba-dc.lock'), 'sh', '-c', 'echo locked; exec cat'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  await new Promise((resolveLock, reject) => {
    lock.stdout.once('data', resolveLock);
    lock.once('exit', (code) => reject(new Error(`flock exited with ${code}`)));
  });
  const dir = mkdtempSync(join(tmpdir(), 'reset-e2e-samba-'));
  const url = 'ldaps://127.0.0.1:636/';
  const caFile = join(dir, 'tls/ca.pem');
  const release = () => { lock.stdin.end(); };
  let samba = null;
  try {
    if (await listening(636)) throw new Error('something already listens on 127.0.0.1:636 (a DC left running?)');
    await run(join(SCRIPTS, 'samba-dc.sh'), ['provision', dir]);
    samba = spawn('/usr/sbin/samba', ['-s', join(dir, 'etc/smb.conf'), '-M', 'single', '-i'], { stdio: ['pipe', 'ignore', 'ignore'] });
    await run(join(SCRIPTS, 'samba-dc.sh'), ['seed', dir]);
  } catch (e) {
    samba?.stdin.end();
    release();
    throw e;
  }
  const administrator = ['-D', 'Administrator@contoso.test', '-w', 'Adm-Contoso-2026-zQ9'];
  const names = { diane: 'Diane Prescott', bob: 'Bob Fischer', carol: 'Carol Nguyen', erin: 'Erin Walsh' };
  const server = {
    flavour: 'active-directory',
    dir,
    url,
    caFile,
    dnOf: (id) => `CN=${names[id]},CN=Users,DC=contoso,DC=test`,
    async remove() {
      samba.stdin.end();
      await new Promise((r) => (samba.exitCode !== null ? r() : samba.on('exit', r)));
      release();
      await new Promise((r) => (lock.exitCode !== null ? r() : lock.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
    backendArgs() {
      const file = join(dir, 'service.pw');
      writeFileSync(file, SERVICE_PASSWORD + '\n', { mode: 0o600 });
      return ['--directory', 'ldap', '--ldap-flavour', 'active-directory', '--ldap-url', url, '--ldap-ca-file', caFile,
        '--bind-dn', 'CN=reset-service,CN=Users,DC=contoso,DC=test', '--bind-password-file', file,
        '--base-dn', 'DC=contoso,DC=test', '--admin-group', 'CN=Reset Admins,CN=Users,DC=contoso,DC=test'];
    },
    bind: (id, password) => bindAs(url, caFile, server.dnOf(id), password, server.flavour),
    /** An attribute of the user's entry, read as the domain's Administrator. */
    async attribute(id, attribute) {
      const { code, output } = await tool('ldapsearch', ['-x', '-H', url, ...administrator,
        '-LLL', '-o', 'ldif-wrap=no', '-s', 'base', '-b', server.dnOf(id), attribute], { caFile });
      if (code !== 0) throw new Error(`ldapsearch answered ${code}: ${output}`);
      return firstValue(output, attribute);
    },
  };
  return server;
}
