--TEST--
A connection error found in the middle of a read, while the socket is backed up: the rest of that read is never decrypted, the GOAWAY still reaches the peer, and TLS ends with close_notify (no bad_record_mac alert from records read out of step)
--SKIPIF--
<?php
$needs = ['python3-h2'];
require __DIR__ . '/../inc/skipif.inc';
?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$big = str_repeat('x', 16 << 20);
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($big): void {
    $res->end($big);
});
PHP);
foreach ([1, 2] as $round) {
    [$rc, $out, $err] = h2srv_py('goaway_backlog.py', [(string)$srv->port, '/big']);
    echo trim($out) ?: "rc=$rc $err", "\n";
}
?>
--EXPECT--
goaway=STREAM_CLOSED tls=close_notify
goaway=STREAM_CLOSED tls=close_notify
