--TEST--
GET round trip through nghttp: the server's SETTINGS (RFC 8441's extended CONNECT enabled, for WebSockets) and the response frames
--SKIPIF--
<?php $needs = ['nghttp']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $res->end('path=' . $req->path());
});
PHP, ['max_concurrent_streams' => 77]);
[$rc, $out] = h2srv_run(['nghttp', '-nv', $srv->url('/abc')]);
var_dump($rc);
preg_match('/recv SETTINGS frame <length=\d+, flags=0x00, stream_id=0>\n\s+\(niv=\d+\)\n((?:\s+\[.*\n)+)/', $out, $m);
echo $m[1] ?? "no SETTINGS\n$out";
[$rc, $out] = h2srv_run(['nghttp', $srv->url('/abc')]);
var_dump($rc, $out);
?>
--EXPECTF--
int(0)
%w[SETTINGS_MAX_CONCURRENT_STREAMS(0x03):77]
%w[SETTINGS_INITIAL_WINDOW_SIZE(0x04):1048576]
%w[SETTINGS_MAX_HEADER_LIST_SIZE(0x06):65536]
%w[SETTINGS_ENABLE_PUSH(0x02):0]
%w[SETTINGS_ENABLE_CONNECT_PROTOCOL(0x08):1]
int(0)
string(9) "path=/abc"
