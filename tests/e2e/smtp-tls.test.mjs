// The reference backend's e-mail over TLS, against real SMTP servers the
// test starts on loopback (tests/e2e/smtp-sink.mjs) with a throw-away
// private CA: STARTTLS (smtp://, required) and implicit TLS (smtps://)
// deliver the reset's e-mail encrypted; a certificate the backend was not
// told to trust, or a server that does not offer STARTTLS, gets no mail;
// plain SMTP to a host that is not loopback stops the start.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startBackend, BACKEND_BIN, DEMO_ADMIN } from './harness.mjs';
import { startSmtpSink, makeTestCertificates } from './smtp-sink.mjs';

// Satisfies the server's password policy (12+ characters, strong, not the user's name).
const PASSWORD = 'Vq8#tLm2!pZx9wRk';

let certs;
before(() => { certs = makeTestCertificates(); });
after(() => rmSync(certs.dir, { recursive: true, force: true }));

/** A reset of Diane (u-1042) with delivery to the demo admin; the answer. */
async function resetWithDelivery(backend) {
  const r = await backend.asAdmin('POST', '/api/password-resets', {
    resets: [{ userId: 'u-1042', password: PASSWORD }],
    passwordSource: 'generated',
    forceChangePasswordNextSignIn: true,
    deliverTo: [DEMO_ADMIN.email],
  });
  assert.equal(r.status, 200, r.text);
  return r.json;
}

/** The message text with quoted-printable soft line breaks undone. */
const unfolded = (message) => message.data.replace(/=\n/g, '');

for (const mode of ['starttls', 'implicit']) {
  test(`${mode === 'starttls' ? 'STARTTLS (smtp://)' : 'implicit TLS (smtps://)'} with a private CA: the e-mail arrives encrypted`, async () => {
    const sink = await startSmtpSink({ tls: mode, key: certs.key, cert: certs.cert });
    const backend = await startBackend({ env: { SMTP_URL: sink.url, SMTP_CA_FILE: certs.caFile } });
    try {
      assert.match(sink.url, mode === 'starttls' ? /^smtp:\/\/127\.0\.0\.1:\d+$/ : /^smtps:\/\/127\.0\.0\.1:\d+$/);
      const answer = await resetWithDelivery(backend);
      assert.deepEqual(answer.delivery, { status: 'sent', detail: `Sent to ${DEMO_ADMIN.email}.` });
      const message = await sink.waitFor((m) => m.to.includes(DEMO_ADMIN.email));
      assert.equal(message.tls, true, 'the message came over TLS');
      assert.match(message.protocol, /^TLSv1\.[23]$/);
      assert.match(message.data, /^Subject: Password reset for Diane Prescott \(u-1042\)$/m);
      assert.ok(unfolded(message).includes(`Temporary password: ${PASSWORD}`), message.data);
      assert.equal(sink.messages.length, 1);
      const outbox = await backend.asAdmin('GET', '/api/outbox');
      assert.equal(outbox.json[0].status, 'sent');
    } finally {
      await backend.stop();
      await sink.stop();
    }
  });
}

test('a certificate the backend was not told to trust gets no e-mail: the delivery fails, the reset stands', async () => {
  const sink = await startSmtpSink({ tls: 'starttls', key: certs.key, cert: certs.cert });
  const backend = await startBackend({ env: { SMTP_URL: sink.url } }); // no SMTP_CA_FILE
  try {
    const answer = await resetWithDelivery(backend);
    assert.equal(answer.results[0].status, 'reset');
    assert.equal(answer.delivery.status, 'failed');
    assert.deepEqual(sink.messages, []);
    assert.equal((await backend.signIn('u-1042', PASSWORD)).status, 200);
  } finally {
    await backend.stop();
    await sink.stop();
  }
});

test('smtp:// requires STARTTLS: a server that does not offer it gets no e-mail', async () => {
  const plain = await startSmtpSink(); // plain SMTP, no STARTTLS
  const url = `smtp://127.0.0.1:${plain.port}`; // without ?tls=none
  const backend = await startBackend({ env: { SMTP_URL: url } });
  try {
    const answer = await resetWithDelivery(backend);
    assert.equal(answer.delivery.status, 'failed');
    assert.deepEqual(plain.messages, [], 'nothing was sent in the clear');
    assert.match(backend.log(), /e-mail delivery failed/);
    assert.ok(!backend.log().includes(PASSWORD));
  } finally {
    await backend.stop();
    await plain.stop();
  }
});

test('plain SMTP to a host that is not loopback stops the start, with a clear message', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-refused-'));
  try {
    for (const url of ['smtp://mail.contoso.com:25?tls=none', 'smtp://192.0.2.10?tls=none']) {
      const db = join(dir, 'refused.sqlite');
      const run = spawnSync(BACKEND_BIN, ['--addr', '127.0.0.1:0', '--db', db], {
        env: { ...process.env, SMTP_URL: url },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(run.status, 2, run.stderr);
      assert.match(run.stderr, /refusing to send e-mail \(which carries passwords\) without TLS to \S+, which is not a loopback address/);
      assert.equal(run.stdout, '', 'it never listened');
      assert.equal(existsSync(db), false, 'refused before the database was touched');
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
