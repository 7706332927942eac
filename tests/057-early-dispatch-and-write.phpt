--TEST--
Request bodies as they arrive and pushed response bodies: under an early_dispatch prefix the handler runs at the headers and onBody hands it a 64 MiB upload in pieces (HTTP/2 over TLS, HTTP/1.1 with a length and chunked), byte-exact, with PHP's heap bounded behind a slow handler; elsewhere onBody gets the whole body at once; write() pushes a body whose reader is throttled (false, then onDrain), byte-exact; end() after write() adds the trailers set meanwhile, over HTTP/2 and HTTP/1.1; an early handler that keeps nothing answers 500, a throwing onBody callback resets its stream and the server goes on
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    switch ($req->path()) {
    case '/early/upload':
    case '/late/upload':
        $pieces = 0;
        $size = 0;
        $h = hash_init('sha256');
        $slow = $req->header('x-slow') !== null;
        $before = $req->bodySize(); // what had arrived when the handler ran
        $req->onBody(function (string $chunk) use (&$pieces, &$size, $h, $slow): void {
            $pieces++;
            $size += strlen($chunk);
            hash_update($h, $chunk);
            if ($slow) {
                usleep(1000);
            }
        }, function (array $trailers) use (&$pieces, &$size, $h, $res, $before, $req): void {
            // (a body handed over whole is one string: its size is the heap's peak)
            $res->end(sprintf("%d bytes, %s, %s, handler ran %s%s\n", $size, hash_final($h),
                $pieces > 1 ? 'in pieces' : 'in one piece', $before < $size ? 'before the body was complete' : 'after the body',
                $req->path() === '/late/upload' ? '' : ', peak heap ' . (memory_get_peak_usage() < 16 << 20 ? 'under 16 MiB' : memory_get_peak_usage())));
        });
        return;
    case '/early/forgotten':
        return; // keeps nothing that could answer
    case '/early/throws':
        $req->onBody(function (string $chunk): void {
            throw new RuntimeException('no thanks');
        }, function () use ($res): void {
            $res->end("unreachable\n");
        });
        return;
    case '/write':
        $left = 16;
        $falses = $drains = 0;
        $res->header('content-type', 'application/octet-stream');
        $pump = function () use (&$left, &$falses, $res): void {
            while ($left > 0) {
                $left--;
                if (!$res->write(str_repeat(chr(ord('a') + $left), 1 << 20))) {
                    $falses++;
                    return;
                }
            }
            $res->trailer('x-summary', "falses=$falses");
            $res->end();
        };
        $res->onDrain(function () use (&$drains, &$falses, $pump): void {
            $drains++;
            $pump();
        });
        $pump();
        return;
    case '/trailers':
        $res->header('content-type', 'text/plain');
        $res->write("one\n");
        $res->write("two\n");
        $res->trailer('x-done', 'yes');
        $res->end("three\n");
        return;
    }
    $res->end("ok\n");
});
PHP, ['early_dispatch' => ['/early/'], 'dispatch' => 'connection', 'max_body_size' => 1 << 30]);
$tmp = sys_get_temp_dir() . '/h2srv-early-' . getmypid();
$f = fopen($tmp, 'w');
for ($i = 0; $i < 64; $i++) {
    fwrite($f, random_bytes(1 << 20));
}
fclose($f);
$want = hash_file('sha256', $tmp);
$show = fn(string $out) => str_replace($want, 'the right sha256', $out);
[, $out] = h2srv_curl($srv->url('/early/upload'), ['--data-binary', "@$tmp"]);
echo 'h2 early: ', $show($out);
[, $out] = h2srv_curl($srv->url('/early/upload'), ['--data-binary', "@$tmp", '-H', 'x-slow: 1']);
echo 'h2 early, slow handler: ', $show($out);
[, $out] = h2srv_run(['curl', '-sSk', '--http1.1', '--data-binary', "@$tmp", $srv->url('/early/upload')]);
echo 'h1 early: ', $show($out);
[, $out] = h2srv_run(['curl', '-sSk', '--http1.1', '-H', 'transfer-encoding: chunked', '-H', 'x-slow: 1', '--data-binary', "@$tmp", $srv->url('/early/upload')]);
echo 'h1 early chunked, slow handler: ', $show($out);
[, $out] = h2srv_curl($srv->url('/late/upload'), ['--data-binary', "@$tmp"]);
echo 'h2 late: ', $show($out);
unlink($tmp);

[, $out] = h2srv_run(['curl', '-sSk', '--http2', '--limit-rate', '4M', $srv->url('/write')], null, 60);
$expect = '';
for ($left = 15; $left >= 0; $left--) {
    $expect .= str_repeat(chr(ord('a') + $left), 1 << 20);
}
echo 'write, throttled reader: ', strlen($out), ' bytes, ', $out === $expect ? 'byte-exact' : 'WRONG', "\n";
[, , $err] = h2srv_curl($srv->url('/write'), ['-v', '-o', '/dev/null']);
echo preg_match('/^< x-summary: falses=([1-9]\d*)/m', $err) ? "write: send said false, the summary trailer came\n" : "write: $err\n";
[, $out, $err] = h2srv_curl($srv->url('/trailers'), ['-v']);
echo 'h2 trailers: ', json_encode($out), preg_match('/^< x-done: yes/m', $err) ? ' with x-done' : ' WITHOUT x-done', "\n";
[, $out] = h2srv_run(['curl', '-sSk', '--http1.1', '--raw', '-H', 'TE: trailers', $srv->url('/trailers')]);
echo 'h1 trailers: ', json_encode($out), "\n";
// (over HTTP/1.1: curl 7.88 takes HTTP/2's RST_STREAM(NO_ERROR) after a response that came
// before its upload ended, RFC 9113 §8.1, for an error)
[, $out] = h2srv_run(['curl', '-sk', '--http1.1', '--data-binary', 'abc', '-o', '/dev/null', '-w', '%{http_code}', $srv->url('/early/forgotten')]);
echo "forgotten: $out\n";
[$rc, , $err] = h2srv_curl($srv->url('/early/throws'), ['--data-binary', 'abc']);
echo "throws: curl exit $rc\n";
[, $out] = h2srv_curl($srv->url('/after'));
echo "then: $out";
$srv->stop();
echo preg_match('/onBody chunk callback threw RuntimeException|RuntimeException.*no thanks/', $srv->stderr()) ? "the exception was logged\n" : $srv->stderr();
?>
--EXPECT--
h2 early: 67108864 bytes, the right sha256, in pieces, handler ran before the body was complete, peak heap under 16 MiB
h2 early, slow handler: 67108864 bytes, the right sha256, in pieces, handler ran before the body was complete, peak heap under 16 MiB
h1 early: 67108864 bytes, the right sha256, in pieces, handler ran before the body was complete, peak heap under 16 MiB
h1 early chunked, slow handler: 67108864 bytes, the right sha256, in pieces, handler ran before the body was complete, peak heap under 16 MiB
h2 late: 67108864 bytes, the right sha256, in one piece, handler ran after the body
write, throttled reader: 16777216 bytes, byte-exact
write: send said false, the summary trailer came
h2 trailers: "one\ntwo\nthree\n" with x-done
h1 trailers: "e\r\none\ntwo\nthree\n\r\n0\r\nx-done: yes\r\n\r\n"
forgotten: 500
throws: curl exit 92
then: ok
the exception was logged
