// A small SMTP server of the tests' own, on loopback: it accepts every
// message the reference backend sends (plain SMTP, as `SMTP_URL=smtp://…`
// speaks to a local relay) and keeps them, so a test reads an e-mail the way
// its recipient would, not from the backend's database.
import { createServer } from 'node:net';

/** Starts the sink; `{ url, messages, waitFor(predicate), stop() }`. */
export async function startSmtpSink() {
  const messages = []; // { from, to: [...], data }
  const waiting = [];
  const server = createServer((socket) => {
    socket.setEncoding('utf8');
    let buffer = '';
    let inData = false;
    let current = { from: '', to: [], data: '' };
    const reply = (line) => socket.write(`${line}\r\n`);
    reply('220 sink.test ESMTP');
    socket.on('data', (chunk) => {
      buffer += chunk;
      let end;
      while ((end = buffer.indexOf('\r\n')) >= 0) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (inData) {
          if (line === '.') {
            inData = false;
            messages.push(current);
            for (const w of [...waiting]) w();
            current = { from: '', to: [], data: '' };
            reply('250 Queued');
          } else {
            current.data += (line.startsWith('..') ? line.slice(1) : line) + '\n';
          }
          continue;
        }
        const command = line.slice(0, 4).toUpperCase();
        if (command === 'EHLO' || command === 'HELO') reply('250 sink.test');
        else if (command === 'MAIL') { current.from = line; reply('250 OK'); }
        else if (command === 'RCPT') { current.to.push(line.replace(/^RCPT TO:\s*<?([^>]*)>?.*$/i, '$1')); reply('250 OK'); }
        else if (command === 'DATA') { inData = true; reply('354 Go ahead'); }
        else if (command === 'QUIT') { reply('221 Bye'); socket.end(); }
        else reply('250 OK'); // RSET, NOOP
      }
    });
    socket.on('error', () => {});
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return {
    url: `smtp://127.0.0.1:${port}`,
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
    stop: () => new Promise((resolve) => server.close(resolve)),
  };
}
