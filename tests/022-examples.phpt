--TEST--
Every example in examples/ runs as documented and does what its comment says
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';

$srv = TestServer::example('hello.php');
echo 'hello: ', h2srv_curl($srv->url('/'))[1];
$srv->stop();

$srv = TestServer::example('json-api.php');
echo 'json-api: ', h2srv_curl($srv->url('/todos'), ['-d', '{"title":"milk"}'])[1];
echo '          ', h2srv_curl($srv->url('/todos'), ['-d', 'nonsense', '-w', '%{http_code}'])[1], "\n";
echo '          ', h2srv_curl($srv->url('/todos/1'))[1];
echo '          ', h2srv_curl($srv->url('/todos'))[1];
echo '          ', h2srv_curl($srv->url('/todos/1'), ['-X', 'DELETE', '-w', '%{http_code}'])[1], "\n";
echo '          ', h2srv_curl($srv->url('/nope'))[1];
// A deleted todo's id is not given again: the next POST gets a new one, and the others stay.
h2srv_curl($srv->url('/todos'), ['-d', '{"title":"eggs"}']);
h2srv_curl($srv->url('/todos'), ['-d', '{"title":"tea"}']);
h2srv_curl($srv->url('/todos/2'), ['-X', 'DELETE']);
echo '          ', h2srv_curl($srv->url('/todos'), ['-d', '{"title":"jam"}'])[1];
echo '          ', h2srv_curl($srv->url('/todos'))[1];
// A route that exists, asked with a method it does not take: 405 with allow.
[$rc, $out] = h2srv_curl($srv->url('/todos/3'), ['-X', 'PUT', '-D', '-', '-o', '/dev/null']);
echo '          PUT /todos/3: ', preg_match('/^HTTP\/2 (\d+)/', $out, $m) ? $m[1] : '?', ', allow: ',
    preg_match('/^allow: (.*?)\r?$/m', $out, $m) ? $m[1] : '-', "\n";
[$rc, $out] = h2srv_curl($srv->url('/todos'), ['-X', 'DELETE', '-D', '-', '-o', '/dev/null']);
echo '          DELETE /todos: ', preg_match('/^HTTP\/2 (\d+)/', $out, $m) ? $m[1] : '?', ', allow: ',
    preg_match('/^allow: (.*?)\r?$/m', $out, $m) ? $m[1] : '-', "\n";
$srv->stop();

$files = sys_get_temp_dir() . '/h2srv-example-' . getmypid();
@mkdir($files);
file_put_contents("$files/data.bin", random_bytes(300000));
$outside = sys_get_temp_dir() . '/h2srv-outside-' . getmypid();
file_put_contents($outside, "private\n");
symlink($outside, "$files/link-out");
symlink("$files/data.bin", "$files/link-in");
$srv = TestServer::example('download.php', [$files]);
[$rc, $body] = h2srv_curl($srv->url('/data.bin'));
echo 'download: ', $body === file_get_contents("$files/data.bin") ? 'byte-exact' : 'differs', ', ',
    'a path out of the directory: ', h2srv_curl($srv->url('/..%2f..%2fetc%2fpasswd'), ['-o', '/dev/null', '-w', '%{http_code}'])[1], "\n";
echo '          a symlink inside pointing out: ', h2srv_curl($srv->url('/link-out'), ['-o', '/dev/null', '-w', '%{http_code}'])[1],
    ', one pointing inside: ', h2srv_curl($srv->url('/link-in'))[1] === file_get_contents("$files/data.bin") ? 'served' : 'not served', "\n";
$srv->stop();
unlink("$files/link-out");
unlink("$files/link-in");
unlink($outside);

$srv = TestServer::example('upload.php', [$files]);
[$rc, $sum] = h2srv_curl($srv->url('/copy.bin'), ['-T', "$files/data.bin"]);
echo 'upload: ', trim($sum) === hash_file('sha256', "$files/data.bin") ? 'checksum matches' : 'checksum differs', ', ',
    file_get_contents("$files/copy.bin") === file_get_contents("$files/data.bin") ? "stored byte-exact\n" : "stored wrong\n";
file_put_contents("$files/big.bin", random_bytes(3 << 20));
[$rc, $sum] = h2srv_curl($srv->url('/big-copy.bin'), ['-T', "$files/big.bin"]);
echo 'spooled upload: ', trim($sum) === hash_file('sha256', "$files/big.bin") ? 'checksum matches' : 'checksum differs', ', ',
    hash_file('sha256', "$files/big-copy.bin") === hash_file('sha256', "$files/big.bin") ? 'moved into place' : 'stored wrong',
    ', ', count(glob("$files/*")), " files in the directory\n";
clearstatcache();
echo '                small and spooled uploads stored with the same mode: ',
    fileperms("$files/copy.bin") === fileperms("$files/big-copy.bin") ? 'yes' : sprintf('no (%o, %o)', fileperms("$files/copy.bin") & 0777, fileperms("$files/big-copy.bin") & 0777), "\n";
$srv->stop();
array_map('unlink', glob("$files/*"));
rmdir($files);

$srv = TestServer::example('stream.php');
[$rc, $out] = h2srv_curl($srv->url('/numbers?count=200000'));
echo 'stream: /numbers ', $out === implode("\n", range(1, 200000)) . "\n" ? '200000 lines in order' : 'wrong', ', ';
$t = microtime(true);
[$rc, $out] = h2srv_curl($srv->url('/events?n=3'));
echo '/events ', preg_replace('/ at \d\d:\d\d:\d\d/', '', json_encode($out)), microtime(true) - $t >= 0.55 ? ", 200 ms apart\n" : ", too fast\n";
$srv->stop();

$srv = TestServer::example('graceful.php');
h2srv_curl($srv->url('/'));
echo 'graceful: ', h2srv_curl($srv->url('/shutdown'))[1];
echo '          exit ', $srv->wait(10), ', ', $srv->stdout();
?>
--EXPECT--
hello: hello
json-api: {"id":1,"title":"milk"}
          {"error":"expected {\"title\": string}"}
400
          {"id":1,"title":"milk"}
          [{"id":1,"title":"milk"}]
          204
          {"error":"no route for \/nope"}
          {"id":4,"title":"jam"}
          [{"id":3,"title":"tea"},{"id":4,"title":"jam"}]
          PUT /todos/3: 405, allow: GET, DELETE
          DELETE /todos: 405, allow: GET, POST
download: byte-exact, a path out of the directory: 404
          a symlink inside pointing out: 404, one pointing inside: served
upload: checksum matches, stored byte-exact
spooled upload: checksum matches, moved into place, 4 files in the directory
                small and spooled uploads stored with the same mode: yes
stream: /numbers 200000 lines in order, /events "data: event 1\n\ndata: event 2\n\ndata: event 3\n\n", 200 ms apart
graceful: bye from request 2
          exit 0, stopped after 2 requests
