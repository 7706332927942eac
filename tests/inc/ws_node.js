// Node's ws (Debian's node-ws) as a WebSocket client of h2srv over HTTP/1.1: echoes N messages,
// text and binary, of up to 1 MiB, offering two subprotocols. Usage: node ws_node.js URL N
const WebSocket = require('ws');
const [url, n] = [process.argv[2], Number(process.argv[3])];
const ws = new WebSocket(url, ['v2.chat', 'chat'], {rejectUnauthorized: false, maxPayload: 2 << 20});
let i = 0, sent;
function next() {
  if (i === n) {
    const ext = String(ws.extensions || '').split(';')[0];  // the negotiated Sec-WebSocket-Extensions
    console.log(`node: echo ok ${n}, subprotocol ${ws.protocol}` + (ext ? `, extensions ${ext}` : ''));
    ws.close(1000, 'done');
    return;
  }
  const size = (i * 7919) % (1 << 20) + 1;
  sent = i % 2 ? Buffer.alloc(size, i % 251) : 'ü'.repeat(size >> 1) + i;
  ws.send(sent, {binary: i % 2 === 1});
}
ws.on('open', next);
ws.on('message', (data, isBinary) => {
  const ok = isBinary ? Buffer.compare(data, sent) === 0 : data.toString() === sent;
  if (!ok || isBinary !== (i % 2 === 1)) {
    console.log(`node: echo ${i} wrong`);
    process.exit(1);
  }
  i++;
  next();
});
ws.on('close', (code) => { console.log(`node: closed ${code}`); });
ws.on('error', (e) => { console.log(`node: error ${e.message}`); process.exit(1); });
