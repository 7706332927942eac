--TEST--
A 1 MiB POST body is echoed back byte-exact
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $res->header('x-len', (string)strlen($req->body()))->end($req->body());
});
PHP);
$body = random_bytes(1024 * 1024);
$file = tempnam(sys_get_temp_dir(), 'h2srv');
file_put_contents($file, $body);
[$rc, $out, $err] = h2srv_curl($srv->url('/echo'), ['--data-binary', "@$file", '-H', 'content-type: application/octet-stream', '-D', "$file.h"]);
var_dump($rc, strlen($out), $out === $body);
echo implode('', preg_grep('/^x-len:/', file("$file.h")));
unlink($file);
unlink("$file.h");
?>
--EXPECT--
int(0)
int(1048576)
bool(true)
x-len: 1048576
