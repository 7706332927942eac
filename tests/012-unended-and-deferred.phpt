--TEST--
A response dropped without end() gets a 500 and a log line naming the path; one kept by PHP stays open until end()
--SKIPIF--
<?php $needs = ['nghttp', 'curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$kept = [];
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use (&$kept): void {
    switch ($req->path()) {
        case '/forgot': return;                       // dropped: 500
        case '/keep': $kept[] = $res; return;         // deferred
        case '/release':                              // ends the deferred one, then answers
            foreach ($kept as $k) { $k->status(202)->end('late'); }
            $res->end('released ' . count($kept));
            $kept = [];
            return;
    }
});
PHP);
[$rc, $out] = h2srv_curl($srv->url('/forgot'), ['-w', '%{http_code}']);
echo "forgot: $out\n";
// /keep and /release on one connection: /keep's answer comes only after /release ended it.
[$rc, $out] = h2srv_run(['nghttp', '-v', $srv->url('/keep'), $srv->url('/release')]);
preg_match_all('/recv \(stream_id=(\d+)\) :status: (\d+)/', $out, $m, PREG_SET_ORDER);
foreach ($m as [, $id, $status]) {
    echo "stream $id: $status\n";
}
var_dump(str_contains($out, 'late'), str_contains($out, 'released 1'));
$srv->stop();
echo $srv->stderr();
?>
--EXPECTF--
forgot: 500
stream 13: 202
stream 15: 200
bool(true)
bool(true)
%s error h2srv: response dropped without end() for GET /forgot; answered 500
