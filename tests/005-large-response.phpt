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
// The clients write to files: a 16 MiB pipe read by the test itself is slow under `run.sh asan`.
$file = "{$srv->dir}/body";
[$rc, $head] = h2srv_curl($srv->url('/big'), ['-D', '-', '-o', $file]);
preg_match('/x-sha256: (\w+)/', $head, $m);
var_dump($rc, filesize($file), hash_file('sha256', $file) === $m[1]);
// -w 16: a 2^16-1 byte window for the connection and each stream; the server must resume on WINDOW_UPDATE.
[$rc] = h2srv_run(['sh', '-c', 'exec nghttp -w 16 -W 16 "$0" > "$1"', $srv->url('/big'), $file]);
clearstatcache();
var_dump($rc, filesize($file), hash_file('sha256', $file) === $m[1]);
?>
--EXPECT--
int(0)
int(16777216)
bool(true)
int(0)
int(16777216)
bool(true)
