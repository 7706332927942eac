--TEST--
stop() called from inside a handler lets in-flight responses finish, refuses new connections, and run() returns
--SKIPIF--
<?php $needs = ['nghttp', 'curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
// /hold keeps its response open; /stop stops the server and then ends /hold, so /hold is in flight during the stop.
$srv = new TestServer(<<<'PHP'
$held = null;
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server, &$held): void {
    if ($req->path() === '/hold') { $held = $res; return; }
    $server->stop();
    $res->end('stopping');
    $held?->end(str_repeat('h', 300000));
    $held = null;
});
PHP);
// nghttp sends /hold first; the server answers /stop and /hold, then closes.
[$rc, $out] = h2srv_run(['nghttp', '-v', $srv->url('/hold'), $srv->url('/stop')]);
var_dump($rc);
preg_match_all('/recv GOAWAY frame <[^>]*>\n\s+\(last_stream_id=(\d+), error_code=(\w+)/', $out, $g);
preg_match_all('/send HEADERS frame <[^>]*stream_id=(\d+)>/', $out, $ids);
// Two steps (RFC 9113 §6.8): a notice naming stream 2^31-1 with a PING, so that requests already
// on the wire are still served; once the PING comes back, the GOAWAY naming the last stream taken.
$ping = preg_match('/recv PING frame <[^>]*flags=0x00/', $out);
echo 'GOAWAYs: ', implode(', ', array_map(fn($id, $code) => "$code last_stream_id=" . ((int)$id === max(array_map('intval', $ids[1])) ? 'the /stop stream' : $id), $g[1], $g[2])),
    $ping ? ", with a PING\n" : ", without a PING\n";
var_dump(substr_count($out, 'hhhh') > 0, str_contains($out, 'stopping'));
var_dump($srv->wait(5), $srv->stdout());
[$rc] = h2srv_curl("https://127.0.0.1:{$srv->port}/");
var_dump($rc);
?>
--EXPECT--
int(0)
GOAWAYs: NO_ERROR last_stream_id=2147483647, NO_ERROR last_stream_id=the /stop stream, with a PING
bool(true)
bool(true)
int(0)
string(13) "run returned
"
int(7)
