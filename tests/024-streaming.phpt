--TEST--
Streamed responses and files: 100 MiB from a stream() producer to curl with the server's memory bounded (also for a slow reader), a paused producer resumed by a timer, sendFile() of a 50 MiB file byte-exact with content-length, HEAD without a body, and misuse answered by exceptions or a reset
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$file = sys_get_temp_dir() . '/h2srv-sendfile-' . getmypid();
$fh = fopen($file, 'w');
for ($i = 0; $i < 50; $i++) {
    fwrite($fh, random_bytes(1 << 20));
}
fclose($fh);
$srv = new TestServer(<<<PHP
\$file = '$file';
PHP . <<<'PHP'
$server->handle(function ($req, $res) use ($server, $file) {
    switch ($req->path()) {
    case '/stream':
        // 100 MiB in 64 KiB chunks, numbered so that a lost or doubled chunk shows in the hash.
        $i = 0;
        $res->header('content-type', 'application/octet-stream')->stream(function () use (&$i) {
            return $i < 1600 ? str_pad((string)$i++, 65536, '.') : null;
        });
        return;
    case '/forever':
        $res->stream(fn() => str_repeat('f', 65536));
        return;
    case '/sse':
        $queue = [];
        $n = 0;
        $res->header('content-type', 'text/event-stream')->stream(function () use (&$queue, &$n) {
            return $queue ? array_shift($queue) : ($n >= 3 ? null : false);
        });
        $t = $server->every(30, function () use (&$queue, &$n, &$t, $res, $server) {
            $queue[] = 'data: ' . ++$n . "\n\n";
            $res->resume();
            if ($n >= 3) {
                $server->cancel($t);
            }
        });
        return;
    case '/file':
        $res->sendFile($file, 'application/octet-stream');
        return;
    case '/missing':
    case '/dir':
    case '/bad-type':
        try {
            match ($req->path()) {
                '/missing' => $res->sendFile('/nonexistent/file'),
                '/dir' => $res->sendFile('/tmp'),
                '/bad-type' => $res->sendFile($file, "text/plain\r\nx-evil: 1"),
            };
        } catch (H2srv\Exception $e) {
            $res->status(404)->end($e->getMessage());
        }
        return;
    case '/throws':
        $res->stream(function () { throw new LogicException('producer boom'); });
        return;
    case '/int':
        $res->stream(fn() => 42);
        return;
    case '/twice':
        $res->stream(fn() => null);
        try { $res->end('again'); } catch (H2srv\Exception $e) { echo 'stream() then end(): ', $e->getMessage(), "\n"; }
        return;
    case '/resume-plain':
        try { $res->resume(); } catch (H2srv\Exception $e) { $res->end($e->getMessage()); }
        return;
    }
});
PHP);
$hwm = fn() => preg_match('/^VmHWM:\s+(\d+)/m', file_get_contents('/proc/' . $srv->pid() . '/status'), $m) ? (int)$m[1] : 0;
$asan = getenv('H2SRV_SERVER_PRELOAD') !== false;
h2srv_curl($srv->url('/file'), ['-o', '/dev/null']); // warm up buffers and pools
$rss0 = h2srv_rss_kb($srv->pid());

$want = hash_init('sha256');
for ($i = 0; $i < 1600; $i++) {
    hash_update($want, str_pad((string)$i, 65536, '.'));
}
[$rc, $out] = h2srv_run(['sh', '-c', 'curl -sSk --http2 ' . escapeshellarg($srv->url('/stream')) . ' | sha256sum']);
echo 'stream: 100 MiB ', explode(' ', $out)[0] === hash_final($want) ? 'byte-exact' : 'WRONG', ', peak memory ',
    $asan || $hwm() - $rss0 < 32 * 1024 ? "under 32 MiB over idle\n" : 'grew ' . ($hwm() - $rss0) . " KiB\n";

// A reader at 2 MiB/s on an endless stream: the producer must wait for the window, not fill memory.
h2srv_run(['curl', '-sk', '--http2', '--limit-rate', '2M', '--max-time', '2', '-o', '/dev/null', $srv->url('/forever')]);
echo 'slow reader of an endless stream: peak memory ', $asan || $hwm() - $rss0 < 32 * 1024 ? "under 32 MiB over idle\n" : 'grew ' . ($hwm() - $rss0) . " KiB\n";

$t = microtime(true);
[$rc, $out] = h2srv_curl($srv->url('/sse'));
echo 'paused producer resumed by a timer: ', json_encode($out), ' after ', microtime(true) - $t >= 0.09 ? "3 ticks\n" : "too little time\n";

[$rc, $out] = h2srv_run(['sh', '-c', 'curl -sSk --http2 -D /dev/stderr ' . escapeshellarg($srv->url('/file')) . ' | sha256sum']);
[, , $hdrs] = h2srv_run(['curl', '-sSk', '--http2', '-D', '/dev/stderr', '-o', '/dev/null', $srv->url('/file')]);
echo 'sendFile: ', explode(' ', $out)[0] === hash_file('sha256', $file) ? 'byte-exact' : 'WRONG',
    str_contains($hdrs, 'content-length: 52428800') ? ', content-length 52428800' : ', no content-length',
    str_contains($hdrs, 'content-type: application/octet-stream') ? ", content-type set\n" : "\n";
[$rc, $head] = h2srv_curl($srv->url('/file'), ['-I']);
echo 'HEAD of a file: ', str_contains($head, 'content-length: 52428800') ? 'content-length, ' : 'no content-length, ';
[$rc, $body] = h2srv_curl($srv->url('/stream'), ['-X', 'HEAD', '-o', '/dev/null', '-w', '%{size_download}']);
echo "HEAD of a stream: $body body bytes\n";
foreach (['/missing', '/dir', '/bad-type', '/resume-plain'] as $p) {
    echo "$p: ", h2srv_curl($srv->url($p))[1], "\n";
}
foreach (['/throws', '/int'] as $p) {
    [$rc, , $err] = h2srv_curl($srv->url($p));
    echo "$p: curl exit $rc", str_contains($err, 'INTERNAL_ERROR') ? " (stream reset: INTERNAL_ERROR)\n" : " $err\n";
}
h2srv_curl($srv->url('/twice'));
echo 'exit code: ', $srv->stop(), "\n";
echo $srv->stdout();
preg_match_all('/error h2srv: (stream\(\) producer .*)/', $srv->stderr(), $m);
echo implode("\n", $m[1]), "\n";
unlink($file);
?>
--EXPECT--
stream: 100 MiB byte-exact, peak memory under 32 MiB over idle
slow reader of an endless stream: peak memory under 32 MiB over idle
paused producer resumed by a timer: "data: 1\n\ndata: 2\n\ndata: 3\n\n" after 3 ticks
sendFile: byte-exact, content-length 52428800, content-type set
HEAD of a file: content-length, HEAD of a stream: 0 body bytes
/missing: cannot send file "/nonexistent/file": No such file or directory
/dir: cannot send file "/tmp": it is a directory
/bad-type: content type contains CR, LF or NUL
/resume-plain: resume() is for a response sent with stream()
/throws: curl exit 92 (stream reset: INTERNAL_ERROR)
/int: curl exit 92 (stream reset: INTERNAL_ERROR)
exit code: 0
stream() then end(): the response was already sent by end(), stream() or sendFile()
run returned
stream() producer threw LogicException: producer boom
stream() producer returned int, not a string, null or false; stream reset
