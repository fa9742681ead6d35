// Tiny network probes for the namespace harness's own test (NetNsIT), run inside the namespace:
//   http-serve --bind ADDR --port N            answers every request with "hello from ADDR:N" until killed
//   http-get   --url URL [--within MS]         GETs URL, retrying until it answers or MS (default 5000) passed
//   udp-echo   --bind ADDR --port N            sends every datagram back to where it came from until killed
//   udp-ping   --to ADDR --port N [--within MS] sends a datagram every 100 ms until one comes back or MS
//                                              (default 1500) passed
// The clients print one JSON line ({ok, …} / {answered, sent}); servers print {"listening": "ADDR:N"} once bound.
import { createServer } from 'node:http';
import { createSocket } from 'node:dgram';
// Node built-ins only (no lib.mjs): loading the browser drivers would slow every probe down.
const [mode, ...rest] = process.argv.slice(2);
const args = {};
for (let i = 0; i + 1 < rest.length; i += 2) args[rest[i].replace(/^--/, '')] = rest[i + 1];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const port = Number(args.port);

if (mode === 'http-serve') {
  createServer((req, res) => res.end(`hello from ${args.bind}:${port}`))
    .listen(port, args.bind, () => console.log(JSON.stringify({ listening: `${args.bind}:${port}` })));
} else if (mode === 'http-get') {
  const end = Date.now() + Number(args.within ?? 5000);
  let last;
  for (;;) {
    try {
      const res = await fetch(args.url, { signal: AbortSignal.timeout(1000) });
      console.log(JSON.stringify({ ok: res.ok, status: res.status, body: await res.text() }));
      break;
    } catch (e) {
      last = String(e.cause ?? e);
    }
    if (Date.now() > end) { console.log(JSON.stringify({ ok: false, error: last })); process.exitCode = 1; break; }
    await sleep(100);
  }
} else if (mode === 'udp-echo') {
  const sock = createSocket('udp4');
  sock.on('message', (msg, from) => sock.send(msg, from.port, from.address));
  sock.bind(port, args.bind, () => console.log(JSON.stringify({ listening: `${args.bind}:${port}` })));
} else if (mode === 'udp-ping') {
  const sock = createSocket('udp4');
  let sent = 0;
  const done = (answered) => {
    console.log(JSON.stringify({ answered, sent }));
    sock.close();
    process.exit(0);
  };
  sock.on('message', (msg) => msg.toString() === 'ping' && done(true));
  sock.on('error', (e) => { console.log(JSON.stringify({ answered: false, sent, error: e.message })); process.exit(1); });
  const timer = setInterval(() => { sent++; sock.send('ping', port, args.to); }, 100);
  setTimeout(() => { clearInterval(timer); done(false); }, Number(args.within ?? 1500));
  sent++;
  sock.send('ping', port, args.to);
} else {
  console.error('usage: node netns-probe.mjs http-serve|http-get|udp-echo|udp-ping [--options]');
  process.exit(2);
}
