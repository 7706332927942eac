--TEST--
Server::stats() counts connections, TLS handshakes, streams, requests, responses by class, bytes, resets and GOAWAYs by cause, timeouts, glitches and emit passes
--SKIPIF--
<?php $needs = ['curl', 'python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server): void {
    match ($req->path()) {
        '/stats' => $res->header('content-type', 'application/json')->end(json_encode($server->stats())),
        '/missing' => $res->status(404)->end('no'),
        default => $res->end('ok'),
    };
});
PHP, ['max_body_size' => 1000, 'read_timeout' => 0.5]);
for ($i = 0; $i < 3; $i++) {
    h2srv_curl($srv->url('/'));
}
h2srv_curl($srv->url('/missing'));
h2srv_run(['nghttp', '-d', __FILE__, $srv->url('/too-big')]);     // 413, refused before the handler
h2srv_rawpeer($srv->port, 'rapid-reset-open', '2000');             // GOAWAY(ENHANCE_YOUR_CALM)
h2srv_rawpeer($srv->port, 'stall-body');                           // read timeout: RST_STREAM(CANCEL)
h2srv_run(['bash', '-c', "exec 3<>/dev/tcp/127.0.0.1/{$srv->port}; sleep 0.2"]); // no handshake
[$rc, $json] = h2srv_curl($srv->url('/stats'));
$st = json_decode($json, true);
// The handler runs in the server's process, or in one of its workers (request dispatch).
echo "worker {$st['worker']}, pid matches: ", in_array($st['pid'], [$srv->pid(), ...h2srv_children($srv->pid())], true) ? 'yes' : 'no', "\n";
// The harness's readiness probe, 3 + 1 curl, nghttp, the attack and the request after it, the
// stalled body, the bare TCP connection and this request.
echo "connections: open {$st['connections']['open']}, total {$st['connections']['total']}\n";
echo "tls: handshakes {$st['tls']['handshakes']}, failures {$st['tls']['failures']}\n";
echo "requests: {$st['requests']} (handler calls, this one included)\n";
echo 'responses: ', json_encode($st['responses']), "\n";
echo 'streams open: ', $st['streams']['open'], ', total at least 1000: ', $st['streams']['total'] >= 1000 ? 'yes' : 'no', "\n";
echo 'resets received at least 1000: ', $st['resets']['received'] >= 1000 ? 'yes' : 'no', ", sent at least 1: ", $st['resets']['sent'] >= 1 ? 'yes' : 'no', "\n";
echo 'goaways: enhance_your_calm ', $st['goaways']['enhance_your_calm'], "\n";
echo 'timeouts: read ', $st['timeouts']['read'], "\n";
echo 'glitches at least 1000: ', $st['glitches'] >= 1000 ? 'yes' : 'no', "\n";
echo 'bytes in and out counted: ', $st['bytes']['in'] > 1000 && $st['bytes']['out'] > 1000 ? 'yes' : 'no', "\n";
echo 'emit: passes ', $st['emit']['passes'] > 0 ? '> 0' : '0', ', writes >= passes: ', $st['emit']['writes'] >= $st['emit']['passes'] ? 'yes' : 'no', "\n";
?>
--EXPECT--
worker 0, pid matches: yes
connections: open 1, total 11
tls: handshakes 9, failures 0
requests: 6 (handler calls, this one included)
responses: {"1xx":0,"2xx":4,"3xx":0,"4xx":2,"5xx":0}
streams open: 1, total at least 1000: yes
resets received at least 1000: yes, sent at least 1: yes
goaways: enhance_your_calm 1
timeouts: read 1
glitches at least 1000: yes
bytes in and out counted: yes
emit: passes > 0, writes >= passes: yes
