// A small SMTP server of the tests' own, on loopback: it accepts every
// message the reference backend sends and keeps them, so a test reads an
// e-mail the way its recipient would, not from the backend's database.
//
// `tls` says how it speaks:
//   'none'      plain SMTP (the default), as `SMTP_URL=smtp://127.0.0.1:…?tls=none`
//               may speak to a relay on this machine;
//   'starttls'  offers STARTTLS and refuses mail until the client used it, as
//               a submission server on port 587 does (`smtp://…`);
//   'implicit'  TLS from the first byte (`smtps://…`).
// With TLS, `key` and `cert` are the server's PEM key and certificate (see
// `makeTestCertificates`). Each message records whether it came over TLS.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StringDecoder } from 'node:string_decoder';
import { createSecureContext, createServer as createTlsServer, TLSSocket } from 'node:tls';

/**
 * Starts the sink; `{ url, messages, waitFor(predicate), stop() }`. Each
 * message is `{ from, to: [...], data, tls, protocol }`: `tls` is true when
 * it arrived over TLS, `protocol` then e.g. 'TLSv1.3'.
 */
export async function startSmtpSink({ tls = 'none', key, cert } = {}) {
  if (!['none', 'starttls', 'implicit'].includes(tls)) throw new Error(`unknown tls mode ${tls}`);
  const secureContext = tls === 'none' ? null : createSecureContext({ key, cert });
  const messages = [];
  const waiting = [];
  const sockets = new Set();

  // One SMTP session; `socket` is already TLS for 'implicit'.
  const session = (socket, secure) => {
    let buffer = '';
    let inData = false;
    let current = null;
    const fresh = () => ({ from: '', to: [], data: '', tls: secure, protocol: secure ? socket.getProtocol() : null });
    current = fresh();
    const reply = (line) => socket.write(`${line}\r\n`);
    const onLine = (line) => {
      if (inData) {
        if (line === '.') {
          inData = false;
          messages.push(current);
          for (const w of [...waiting]) w();
          current = fresh();
          reply('250 Queued');
        } else {
          current.data += (line.startsWith('..') ? line.slice(1) : line) + '\n';
        }
        return 'go on';
      }
      const command = line.slice(0, 4).toUpperCase();
      const mustUpgrade = tls === 'starttls' && !secure;
      if (command === 'EHLO') {
        if (mustUpgrade) { reply('250-sink.test'); reply('250 STARTTLS'); } else reply('250 sink.test');
      } else if (command === 'HELO') reply('250 sink.test');
      else if (line.toUpperCase() === 'STARTTLS') {
        if (!mustUpgrade) { reply('502 STARTTLS not offered'); return 'go on'; }
        reply('220 Ready to start TLS');
        // Anything the client sent after STARTTLS in the clear is dropped.
        return 'upgrade';
      } else if (mustUpgrade && (command === 'MAIL' || command === 'RCPT' || command === 'DATA')) {
        reply('530 Must issue a STARTTLS command first');
      } else if (command === 'MAIL') { current.from = line; reply('250 OK'); }
      else if (command === 'RCPT') { current.to.push(line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, '$1')); reply('250 OK'); }
      else if (command === 'DATA') { inData = true; reply('354 Go ahead'); }
      else if (command === 'QUIT') { reply('221 Bye'); socket.end(); }
      else reply('250 OK'); // RSET, NOOP
      return 'go on';
    };
    const decoder = new StringDecoder('utf8');
    const onData = (chunk) => {
      buffer += decoder.write(chunk);
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (onLine(line) === 'upgrade') {
          socket.removeListener('data', onData);
          const upgraded = new TLSSocket(socket, { isServer: true, secureContext });
          sockets.add(upgraded);
          upgraded.on('error', () => {});
          upgraded.on('secure', () => session(upgraded, true));
          return;
        }
      }
    };
    socket.on('data', onData);
    socket.on('error', () => {});
    if (!secure || tls === 'implicit') reply('220 sink.test ESMTP');
  };

  const track = (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  };
  const server = tls === 'implicit'
    ? createTlsServer({ key, cert }, (socket) => { track(socket); session(socket, true); })
    : createServer((socket) => { track(socket); session(socket, false); });
  server.on('tlsClientError', () => {}); // e.g. a client that refused the certificate
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  const url = {
    none: `smtp://127.0.0.1:${port}?tls=none`,
    starttls: `smtp://127.0.0.1:${port}`,
    implicit: `smtps://127.0.0.1:${port}`,
  }[tls];
  return {
    url,
    port,
    messages,
    /** The first message (past or to come, within 10 s) for which `predicate` holds. */
    waitFor(predicate) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = messages.find(predicate);
          if (!found) return false;
          waiting.splice(waiting.indexOf(check), 1);
          clearTimeout(timer);
          resolve(found);
          return true;
        };
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(check), 1);
          reject(new Error('no such e-mail arrived within 10 s'));
        }, 10_000);
        waiting.push(check);
        check();
      });
    },
    stop: () => new Promise((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(resolve);
    }),
  };
}

/**
 * A throw-away private CA and a server certificate it signed for 127.0.0.1
 * and localhost, made with the openssl CLI in a new temporary folder, valid
 * for a day. `{ dir, caFile, key, cert }`: `caFile` is the CA's PEM file
 * (for `SMTP_CA_FILE`), `key` and `cert` the server's PEM text.
 */
export function makeTestCertificates() {
  const dir = mkdtempSync(join(tmpdir(), 'smtp-tls-'));
  const at = (name) => join(dir, name);
  const openssl = (...args) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl('req', '-x509', ...ec, '-keyout', at('ca.key'), '-out', at('ca.pem'), '-days', '1',
    '-subj', '/CN=Throw-away SMTP test CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign');
  openssl('req', ...ec, '-keyout', at('server.key'), '-out', at('server.csr'), '-subj', '/CN=127.0.0.1');
  writeFileSync(at('server.ext'), [
    'subjectAltName=IP:127.0.0.1,DNS:localhost',
    'basicConstraints=critical,CA:FALSE',
    'keyUsage=critical,digitalSignature',
    'extendedKeyUsage=serverAuth',
  ].join('\n') + '\n');
  openssl('x509', '-req', '-in', at('server.csr'), '-CA', at('ca.pem'), '-CAkey', at('ca.key'),
    '-CAcreateserial', '-out', at('server.pem'), '-days', '1', '-extfile', at('server.ext'));
  return {
    dir,
    caFile: at('ca.pem'),
    key: readFileSync(at('server.key')),
    cert: readFileSync(at('server.pem')),
  };
}
