--TEST--
max_connections: past the limit a new connection is closed at once; once others go, connections are served again
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER, ['max_connections' => 3]);
sleep(1); // the harness's readiness probe connection must be gone
$held = [];
for ($i = 0; $i < 3; $i++) {
    $held[] = stream_socket_client("tcp://127.0.0.1:{$srv->port}");
}
usleep(200000);
[$rc, $out, $err] = h2srv_curl($srv->url('/over'));
echo 'fourth connection: ', $rc !== 0 ? "closed (curl exit $rc)\n" : "served: $out\n";
$held = [];
echo 'after the others closed: ', h2srv_eventually(fn() => h2srv_curl($srv->url('/again'))[1] === 'ok', 3) ? "ok\n" : "refused\n";
?>
--EXPECT--
fourth connection: closed (curl exit 35)
after the others closed: ok
