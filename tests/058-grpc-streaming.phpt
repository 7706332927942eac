--TEST--
gRPC streaming with examples/grpc-bidi.php and Debian's python3-grpcio: a client-streaming call of 1000 messages answered with their count and hash, a bidirectional call of 1000 messages answered one by one while the request is still open (the client waits for each answer before its next message), both with grpc-status 0 in the trailers; an unknown method is UNIMPLEMENTED
--SKIPIF--
<?php $needs = ['python3:grpc']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = TestServer::example('grpc-bidi.php');
[$rc, $out, $err] = h2srv_run(['/usr/bin/python3', __DIR__ . '/inc/grpc_client.py', (string)$srv->port, '1000'], null, 120);
echo $out ?: $err;
$srv->stop();
echo $srv->stderr();
?>
--EXPECT--
collect: right, status OK
chat: 1000 answers in order and in lock step, status OK
nope: UNIMPLEMENTED no method /echo.Echo/Nope
