--TEST--
A request body past max_body_size gets 413 and RST_STREAM(NO_ERROR), no window credit beyond the limit; the connection lives on
--SKIPIF--
<?php $needs = ['python3-h2', 'curl', 'nghttp']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$calls = 0;
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use (&$calls): void {
    $calls++;
    $res->end("calls=$calls len=" . strlen($req->body()));
});
PHP, ['max_body_size' => 100000]);
[$rc, $out, $err] = h2srv_py('h2peer.py', [(string)$srv->port, 'body-limit', '100000']);
echo $out, $err;
// A declared content-length past the limit is refused before any body is read. nghttp, not curl:
// curl 7.88 reports the RST_STREAM(NO_ERROR) that follows a complete early response as error 92.
$file = tempnam(sys_get_temp_dir(), 'h2srv');
file_put_contents($file, str_repeat('y', 100001));
[$rc, $out] = h2srv_run(['nghttp', '-v', '-d', $file, $srv->url('/big')]);
unlink($file);
preg_match('/:status: (\d+)/', $out, $st);
echo "content-length over the limit: {$st[1]}\n";
[$rc, $out] = h2srv_curl($srv->url('/fits'), ['--data-binary', str_repeat('y', 100000)]);
echo "at the limit: $out\n";
?>
--EXPECT--
stream 1: status 413
stream 1: reset NO_ERROR
stream 3: status 200
stream 3: body calls=1 len=0
stream 1 window credited beyond the limit: no
content-length over the limit: 413
at the limit: calls=2 len=100000
