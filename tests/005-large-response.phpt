--TEST--
A 16 MiB response arrives whole and byte-exact, also to a client with a 64 KiB window (nghttp -w 16)
--SKIPIF--
<?php $needs = ['curl', 'nghttp']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
mt_srand(42);
$parts = [];
for ($i = 0; $i < 4096; $i++) { $parts[] = md5((string)mt_rand(), true) . str_repeat(chr($i & 255), 4080); }
$big = implode('', $parts);
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($big): void {
    $res->header('x-sha256', hash('sha256', $big))->end($big);
});
PHP);
[$rc, $out] = h2srv_curl($srv->url('/big'), ['-D', '-']);
preg_match('/x-sha256: (\w+)/', $out, $m);
$body = substr($out, strpos($out, "\r\n\r\n") + 4);
var_dump($rc, strlen($body), hash('sha256', $body) === $m[1]);
// -w 16: a 2^16-1 byte window for the connection and each stream; the server must resume on WINDOW_UPDATE.
[$rc, $out] = h2srv_run(['nghttp', '-w', '16', '-W', '16', $srv->url('/big')]);
var_dump($rc, strlen($out), hash('sha256', $out) === $m[1]);
?>
--EXPECT--
int(0)
int(16777216)
bool(true)
int(0)
int(16777216)
bool(true)
