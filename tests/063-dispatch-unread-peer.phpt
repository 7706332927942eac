--TEST--
request dispatch: a peer that reads nothing does not hold up the worker that answers it (the bodies it holds in the worker's ring move out of the way once the worker needs the room): another connection's bodies keep coming, and the unread ones arrive whole once read
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
// One worker: every body goes through one ring (1 MiB) to the one reactor. 100 bodies of
// 64 KiB (sent from the ring, not fed) are 6.4 MiB, far more than the ring and the sockets hold.
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $res->end(str_repeat(chr(97 + (int)substr($req->path(), 1) % 26), 65536));
});
PHP, ['workers' => 1, 'dispatch' => 'request', 'tls' => false]);
[, $out, $err] = h2srv_py('h2peer.py', [(string)$srv->port, 'unread-beside', '100', '100', '65536']);
echo trim($out . $err), "\n";
?>
--EXPECT--
beside the unread connection: 100 of 100 bodies whole, in under 10 s
the unread connection, read at last: 100 of 100 bodies whole
