--TEST--
100 streams on one connection, then h2load -n 20000 -c 10 -m 32 with 0 failed and 0 errored
--SKIPIF--
<?php $needs = ['nghttp', 'h2load']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$calls = 0;
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use (&$calls): void {
    $calls++;
    $res->end($req->path() === '/count' ? (string)$calls : 'ok:' . $req->path());
});
PHP);
$urls = [];
for ($i = 0; $i < 100; $i++) {
    $urls[] = $srv->url("/s$i");
}
// nghttp sends every URI on one connection, concurrently (up to the server's stream limit).
[$rc, $out] = h2srv_run(array_merge(['nghttp', '-v'], $urls));
var_dump($rc);
var_dump(substr_count($out, 'recv DATA frame'), preg_match_all('/ok:\/s\d+/', $out));
preg_match_all('/send HEADERS frame <length=\d+, flags=0x\w+, stream_id=(\d+)>/', $out, $m);
var_dump(count(array_unique($m[1])));
$r = h2srv_h2load(['-n', '20000', '-c', '10', '-m', '32', $srv->url('/load')]);
echo "done={$r['done']} succeeded={$r['succeeded']} failed={$r['failed']} errored={$r['errored']} 2xx={$r['2xx']}\n";
[$rc, $out] = h2srv_curl($srv->url('/count'));
var_dump($out);
?>
--EXPECT--
int(0)
int(100)
int(100)
int(100)
done=20000 succeeded=20000 failed=0 errored=0 2xx=20000
string(5) "20101"
