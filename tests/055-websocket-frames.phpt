--TEST--
WebSocket framing, hand-made frames over HTTP/2 (RFC 8441 extended CONNECT, TLS and h2c) and HTTP/1.1 (Upgrade): echo of text and binary messages (also many of odd sizes sent at once), fragments with pings between them, the closing handshake both ways, and each protocol error closed with its RFC 6455 code (unmasked 1002, bad UTF-8 1007 also split across fragments, oversized or fragmented control 1002, a message past websocket_max_message 1009 (and none at it), reserved bits and opcodes 1002, stray continuation 1002, bad close codes 1002); permessage-deflate negotiated (compressed echo both ways; corrupt data 1007, RSV1 on a continuation or a control frame 1002, an 8-bit window declined); a refused handshake gets the handler's status, a plain CONNECT 405, another :protocol 501; onClose hears every code; stats() counts the sockets and messages
--SKIPIF--
<?php $needs = ['python3-h2', 'curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$code = <<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server): void {
    if ($req->path() === '/stats') {
        $res->end(json_encode($server->stats()['websockets']));
        return;
    }
    if (!$req->isWebSocket()) {
        $res->status(400)->end("not a websocket\n");
        return;
    }
    if ($req->path() === '/refuse') {
        $res->status(401)->end(); // not accepted
        return;
    }
    if ($req->path() === '/ignore') {
        return; // neither accepted nor answered: the default refusal
    }
    $ws = $res->acceptWebSocket(['compression' => $req->path() === '/z']);
    $ws->onMessage(function (string $data, bool $binary) use ($ws, $req): void {
        if ($req->path() === '/close-me') {
            $ws->close(4000, 'bye now');
            return;
        }
        $ws->send($data, $binary);
    });
    $ws->onClose(function (int $code, string $reason) use ($req): void {
        echo "onClose {$req->protocol()} $code $reason\n";
    });
});
PHP;
// WebSockets need the handler's process to hold the stream: connection dispatch, in both suite runs.
$tls = new TestServer($code, []);
$h2c = new TestServer($code, ['websocket_max_message' => 4096, 'tls' => false]);
$peer = fn(string $proto, TestServer $s, string $path, string ...$args) => h2srv_py('wspeer.py',
    [$proto, $s === $tls ? 'tls' : 'plain', (string)$s->port, $path, ...$args])[1];
echo $peer('h2', $tls, '/echo', 'echo', '300');
echo $peer('h2', $h2c, '/echo', 'echo', '300/4096');
echo $peer('h1', $h2c, '/echo', 'echo', '300/4096');
echo $peer('h2', $h2c, '/echo', 'pipelined', '200');
echo $peer('h1', $h2c, '/echo', 'pipelined', '200');
echo $peer('h1', $tls, '/echo', 'fragments');
foreach (['fragments', 'unmasked', 'bad-utf8', 'bad-utf8-split', 'big-control', 'fragmented-control', 'rsv', 'opcode',
    'continuation', 'interleaved', 'bad-close', 'close-one-byte', 'server-close'] as $scenario) {
    $out = $peer('h2', $tls, $scenario === 'server-close' ? '/close-me' : '/echo', $scenario);
    echo implode("\n", array_slice(explode("\n", trim($out)), 2)), "\n"; // past the handshake lines
}
echo $peer('h2', $h2c, '/echo', 'big-message', '5000');
echo $peer('h1', $h2c, '/echo', 'big-message', '5000');
echo $peer('h1', $tls, '/close-me', 'server-close');
echo "-- permessage-deflate\n";
putenv('WS_HEADERS=sec-websocket-extensions: permessage-deflate; client_max_window_bits, x-webkit-deflate-frame');
foreach (['deflate-echo', 'deflate-corrupt', 'deflate-rsv-continuation', 'deflate-rsv-ping'] as $scenario) {
    echo $peer('h2', $tls, '/z', $scenario);
}
echo $peer('h1', $h2c, '/z', 'deflate-echo');
putenv('WS_HEADERS=sec-websocket-extensions: permessage-deflate; server_max_window_bits=8');
echo $peer('h1', $h2c, '/z', 'status'); // an 8-bit window zlib cannot keep to: declined
putenv('WS_HEADERS');
echo "-- refusals\n";
echo $peer('h2', $tls, '/refuse', 'status');
echo $peer('h1', $tls, '/refuse', 'status');
echo $peer('h2', $tls, '/ignore', 'status');
echo $peer('h1', $h2c, '/ignore', 'status');
echo $peer('h2', $tls, '/echo', 'connect-plain');
echo $peer('h2', $tls, '/echo', 'connect-protocol', 'chat');
[, $out] = h2srv_curl($tls->url('/echo'));
echo "plain GET to a WebSocket path: $out";
[, $stats] = h2srv_curl($tls->url('/stats'));
$st = json_decode($stats, true);
$tls->stop();
$h2c->stop();
preg_match_all('/^onClose (\S+) (\d+)/m', $tls->stdout() . $h2c->stdout(), $m, PREG_SET_ORDER);
$codes = [];
foreach ($m as [, $proto, $c]) {
    $codes["$proto $c"] = ($codes["$proto $c"] ?? 0) + 1;
}
ksort($codes);
echo "-- onClose\n";
foreach ($codes as $k => $n) {
    echo "$k: $n\n";
}
echo "stats (TLS server): open {$st['open']}, total {$st['total']}, messages in {$st['messages_in']} out {$st['messages_out']}, errors {$st['errors']}\n";
?>
--EXPECTF--
enable_connect_protocol 1
status 200
echo ok 300
client close: close 1000 
client close: ended yes
enable_connect_protocol 1
status 200
echo ok 300
client close: close 1000 
client close: ended yes
accept ok
status 101
echo ok 300
client close: close 1000 
client close: ended yes
enable_connect_protocol 1
status 200
pipelined ok 200
client close: close 1000 
client close: ended yes
accept ok
status 101
pipelined ok 200
client close: close 1000 
client close: ended yes
accept ok
status 101
fragments: [(10, 'p1'), (10, 'p2'), (1, 'héllo world')]
client close: close 1001 
client close: ended yes
fragments: [(10, 'p1'), (10, 'p2'), (1, 'héllo world')]
client close: close 1001 
client close: ended yes
unmasked: close 1002 unmasked client frame
unmasked: ended yes
bad-utf8: close 1007 text message is not UTF-8
bad-utf8: ended yes
bad-utf8-split: close 1007 text message is not UTF-8
bad-utf8-split: ended yes
big-control: close 1002 fragmented or oversized control frame
big-control: ended yes
fragmented-control: close 1002 fragmented or oversized control frame
fragmented-control: ended yes
rsv: close 1002 reserved bits set
rsv: ended yes
opcode: close 1002 reserved opcode
opcode: ended yes
continuation: close 1002 continuation without a message
continuation: ended yes
interleaved: close 1002 new message inside a fragmented one
interleaved: ended yes
bad-close: close 1002 invalid close code
bad-close: ended yes
close-one-byte: close 1002 close frame of one byte
close-one-byte: ended yes
server-close: close 4000 bye now
server-close: ended yes
enable_connect_protocol 1
status 200
big-message: close 1009 message too big
big-message: ended yes
accept ok
status 101
big-message: close 1009 message too big
big-message: ended yes
accept ok
status 101
server-close: close 4000 bye now
server-close: ended yes
-- permessage-deflate
enable_connect_protocol 1
extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=12
status 200
deflate-echo: reply compressed yes, %d bytes for 3200, equal
deflate-echo: close 1000 
deflate-echo: ended yes
enable_connect_protocol 1
extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=12
status 200
deflate-corrupt: close 1007 corrupt compressed message
deflate-corrupt: ended yes
enable_connect_protocol 1
extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=12
status 200
deflate-rsv-continuation: close 1002 reserved bits set
deflate-rsv-continuation: ended yes
enable_connect_protocol 1
extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=12
status 200
deflate-rsv-ping: close 1002 reserved bits set
deflate-rsv-ping: ended yes
accept ok
status 101
extensions: permessage-deflate; server_no_context_takeover; client_max_window_bits=12
deflate-echo: reply compressed yes, %d bytes for 3200, equal
deflate-echo: close 1000 
deflate-echo: ended yes
accept ok
status 101
-- refusals
enable_connect_protocol 1
status 401
status 401
enable_connect_protocol 1
status 403
status 403
connect-plain: status 405
connect-protocol chat: status 501
plain GET to a WebSocket path: not a websocket
-- onClose
HTTP/1.1 1000: 3
HTTP/1.1 1001: 1
HTTP/1.1 1006: 1
HTTP/1.1 1009: 1
HTTP/1.1 4000: 1
HTTP/2 1000: 4
HTTP/2 1001: 1
HTTP/2 1002: 11
HTTP/2 1007: 3
HTTP/2 1009: 1
HTTP/2 4000: 1
stats (TLS server): open 0, total 20, messages in 305 out 303, errors 14
