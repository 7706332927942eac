--TEST--
GET round trip through curl --http2: status, headers and body reach the client over HTTP/2
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $res->status(200)->header('content-type', 'text/plain')->header('X-Served-By', 'h2srv')->end("hello\n");
});
PHP);
[$rc, $out] = h2srv_curl($srv->url('/'), ['-D', '-', '-w', 'version=%{http_version}\n']);
var_dump($rc);
echo $out;
var_dump($srv->stop());
echo $srv->stdout();
?>
--EXPECTF--
int(0)
HTTP/2 200 
content-type: text/plain
x-served-by: h2srv
content-length: 6

hello
version=2
int(0)
run returned
