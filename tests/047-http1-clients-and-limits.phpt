--TEST--
HTTP/1.1 clients and limits: a 100 MiB chunked upload (curl, Expect: 100-continue) spooled to a file and checksummed, h2load --h1 over TLS and cleartext and ab -k with 0 errors, 413 for a body over max_body_size, 431 for fields over the header budget, 414 for an overlong target (each closing its connection), slowloris headers cut by read_timeout with 408 even while bytes keep dripping, an idle keep-alive connection closed, a 1000-deep pipeline paused and resumed, and stats() counting it all
--SKIPIF--
<?php $needs = ['curl', 'h2load', 'ab']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$plain = h2srv_free_port();
$upload = sys_get_temp_dir() . '/h2srv-h1-upload-' . getmypid();
@mkdir($upload);
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) {
    if ($req->path() === '/upload') {
        $f = $req->bodyFile();
        $res->end(($f === null ? 'in memory' : 'spooled') . ' ' . $req->bodySize() . ' ' . md5_file($f ?? 'data://,') . "\n");
        return;
    }
    $res->end(preg_match('#^/p\d+$#', $req->path()) ? "path={$req->path()}\n" : "ok\n");
});
register_shutdown_function(function () use ($server) {
    if (!empty($GLOBALS['h2srv_run_returned'])) {
        $s = $server->stats();
        echo 'http1: ', json_encode($s['http1']), ', timeouts: ', json_encode($s['timeouts']), "\n";
    }
});
PHP, ['listen' => [['address' => "127.0.0.1:$plain", 'tls' => false]], 'max_body_size' => 200 << 20,
    'upload_dir' => $upload, 'read_timeout' => 2, 'idle_timeout' => 2]);
$h2c = "http://127.0.0.1:$plain";

// 100 MiB, chunked (no length), generated on the fly and hashed on the way.
$gen = 'head -c 104857600 /dev/urandom | tee >(md5sum > ' . escapeshellarg("$upload/sum") . ')';
[$rc, $out, $err] = h2srv_run(['bash', '-c', "$gen | curl -sS --http1.1 -H 'Transfer-Encoding: chunked' -T - -X POST -w ' %{http_code}' $h2c/upload -v 2>$upload/verbose"]);
$sent = strtok(file_get_contents("$upload/sum"), ' ');
$verbose = file_get_contents("$upload/verbose");
echo 'chunked upload: ', str_replace($sent, 'MD5-OF-WHAT-WAS-SENT', preg_replace('/\s+/', ' ', trim($out))), ', expect 100-continue: ',
    str_contains($verbose, 'Expect: 100-continue') && str_contains($verbose, 'HTTP/1.1 100 Continue') ? 'answered' : 'not seen', "\n";
echo 'spool files left: ', count(glob("$upload/h2srv-body-*")), "\n";

foreach (["https://127.0.0.1:{$srv->port}/", "$h2c/"] as $url) {
    $r = h2srv_h2load(['--h1', '-n', '30000', '-c', '50', '-t', '1', $url]);
    echo 'h2load --h1 ', parse_url($url, PHP_URL_SCHEME), ": {$r['succeeded']} succeeded, {$r['failed']} failed, {$r['errored']} errored\n";
}
[$rc, $out] = h2srv_run(['ab', '-k', '-q', '-n', '20000', '-c', '20', "$h2c/"]);
preg_match('/Failed requests:\s+(\d+)/', $out, $f);
preg_match('/Keep-Alive requests:\s+(\d+)/', $out, $k);
echo "ab -k: failed $f[1], keep-alive $k[1]\n";

$status = fn(array $args) => h2srv_run(['curl', '-sS', '--http1.1', '-o', '/dev/null', '-w', '%{http_code}', ...$args])[1];
echo '413: ', $status(['-H', 'Content-Length: 209715201', '-H', 'Expect:', '-X', 'POST', "$h2c/upload"]), "\n";
echo '431: ', $status(['-H', 'X-Big: ' . str_repeat('b', 70000), "$h2c/"]), "\n";
echo '414: ', $status(["$h2c/" . str_repeat('a', 9000)]), "\n";

$raw = fn(string ...$a) => trim(h2srv_run(['/usr/bin/python3', __DIR__ . '/inc/h1raw.py', (string)$plain, ...$a], null, 30)[1]);
echo $raw('drip', '8'), "\n";
echo $raw('pipeline', '1000'), "\n";

// An idle keep-alive connection is closed after idle_timeout.
$s = stream_socket_client("tcp://127.0.0.1:$plain");
fwrite($s, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
stream_set_timeout($s, 6);
$t = microtime(true);
$got = '';
while (!feof($s) && ($d = fread($s, 8192)) !== false && $d !== '') {
    $got .= $d;
}
echo 'idle keep-alive: ', strtok($got, "\r"), ', closed after ', round(microtime(true) - $t) >= 2 ? 'idle_timeout' : 'too soon', "\n";
$srv->stop();
$out = $srv->stdout();
echo preg_replace(['/"connections":\d+/', '/"requests":\d+/', '/"pauses":\d+/', '/"idle":\d+/'],
    ['"connections":N', '"requests":N', '"pauses":P', '"idle":I'], $out);
echo preg_match('/"pauses":(\d+)/', $out, $m) && $m[1] >= 1 ? "pipeline paused\n" : "pipeline never paused\n";
array_map('unlink', glob("$upload/*"));
rmdir($upload);
?>
--EXPECT--
chunked upload: spooled 104857600 MD5-OF-WHAT-WAS-SENT 200, expect 100-continue: answered
spool files left: 0
h2load --h1 https: 30000 succeeded, 0 failed, 0 errored
h2load --h1 http: 30000 succeeded, 0 failed, 0 errored
ab -k: failed 0, keep-alive 20000
413: 413
431: 431
414: 414
drip: answered 408 after 2 s
pipeline: 1000 answered, in order=True
idle keep-alive: HTTP/1.1 200 OK, closed after idle_timeout
run returned
http1: {"connections":N,"requests":N,"refused":4,"pauses":P}, timeouts: {"handshake":0,"idle":I,"read":1,"write":0}
pipeline paused
