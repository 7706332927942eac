// The peer of bench/ws.sh: a WebSocket echo server on Node's ws (Debian's node-ws), HTTP/1.1.
// Usage: node ws-echo.js PORT
const WebSocket = require('ws');
const wss = new WebSocket.Server({host: '127.0.0.1', port: Number(process.argv[2]), perMessageDeflate: false});
wss.on('connection', (ws) => {
  ws.on('message', (data, isBinary) => ws.send(data, {binary: isBinary}));
});
