--TEST--
HTTP/1.1 beside HTTP/2 on the same ports: curl --http1.1 over TLS (ALPN http/1.1, and no ALPN) and cleartext, what the handler sees (protocol, scheme, authority from Host or an absolute target, headers without the connection-specific ones), keep-alive reuse, HTTP/1.0 and Connection: close, HEAD, content-length for end() and sendFile(), chunked stream() (close-delimited on HTTP/1.0), trailers only with TE: trailers, 100-continue before the body, 100 pipelined requests answered in order (also behind a deferred response), and h2load over HTTP/2 and HTTP/1.1 on one port at once with 0 errors
--SKIPIF--
<?php $needs = ['curl', 'h2load', 'openssl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$plain = h2srv_free_port();
$file = sys_get_temp_dir() . '/h2srv-h1-file-' . getmypid();
file_put_contents($file, str_repeat('0123456789', 10000));
$srv = new TestServer(<<<PHP
\$server->handle(function (H2srv\Request \$req, H2srv\Response \$res) use (\$server) {
    \$p = \$req->path();
    if (\$p === '/stream') {
        \$n = 0;
        \$res->stream(function () use (&\$n) { return \$n++ < 3 ? "part\$n\n" : null; });
        return;
    }
    if (\$p === '/trailers') {
        \$res->trailer('x-checksum', 'abc123')->end("body\n");
        return;
    }
    if (\$p === '/file') {
        \$res->sendFile('$file', 'application/octet-stream');
        return;
    }
    if (\$p === '/deferred') {
        \$server->after(200, fn() => \$res->end("path=/deferred\n"));
        return;
    }
    if (preg_match('#^/p\\d+$#', \$p)) {
        \$res->end("path=\$p\n");
        return;
    }
    \$h = \$req->headers();
    unset(\$h['user-agent'], \$h['accept']);
    \$res->header('content-type', 'text/plain')->end(implode(' ', [\$req->method(), \$req->protocol(), \$req->scheme(),
        \$req->authority(), \$p, json_encode(\$req->queryParams()), json_encode(\$h), 'body=' . strlen(\$req->body())]) . "\n");
});
PHP, ['listen' => [['address' => "127.0.0.1:$plain", 'tls' => false]]]);
$tls = "https://127.0.0.1:{$srv->port}";
$h2c = "http://127.0.0.1:$plain";
$curl = fn(array $args) => h2srv_run(['curl', '-sSk', ...$args]);
$show = function (string $label, array $r) {
    echo "$label: ", $r[0] === 0 ? '' : "curl exit {$r[0]} ", rtrim(str_replace("\r\n", '|', $r[1])), $r[0] ? $r[2] : '', "\n";
};

$show('TLS h1', $curl(['--http1.1', "$tls/a?x=1"]));
$show('TLS no ALPN', $curl(['--http1.1', '--no-alpn', "$tls/a"]));
$show('cleartext h1', $curl(['--http1.1', '-d', 'hello', "$h2c/post"]));
$show('h2 beside it', $curl(['--http2', "$tls/h2"]));
$show('h2c beside it', $curl(['--http2-prior-knowledge', "$h2c/h2c"]));
$show('absolute target', $curl(['--http1.1', '--request-target', 'http://other.example:8080/abs?q=2', "$h2c/"]));
$show('custom headers', $curl(['--http1.1', '-H', 'X-One: 1', '-H', 'Connection: keep-alive, x-one', '-H', 'Keep-Alive: timeout=5', "$h2c/h"]));

// Keep-alive: the second and third transfers reuse the first's connection.
[, $out] = $curl(['--http1.1', '-o', '/dev/null', '-o', '/dev/null', '-o', '/dev/null', '-w', '%{num_connects} ', "$tls/k1", "$tls/k2", "$tls/k3"]);
echo "connects per transfer: $out\n";
// HTTP/1.0: no chunks, keep-alive only when asked; Connection: close is honoured.
$show('HTTP/1.0', $curl(['--http1.0', '-i', "$h2c/ten"]));
$show('HTTP/1.0 stream()', $curl(['--http1.0', '-i', "$h2c/stream"]));
$show('Connection: close', $curl(['--http1.1', '-i', '-H', 'Connection: close', "$h2c/close"]));
$show('HEAD', $curl(['--http1.1', '-I', "$h2c/head"]));
$show('stream()', $curl(['--http1.1', '-i', '--raw', "$h2c/stream"]));
$show('trailers, TE: trailers', $curl(['--http1.1', '-i', '--raw', '-H', 'TE: trailers', "$h2c/trailers"]));
$show('trailers, no TE', $curl(['--http1.1', '-i', '--raw', "$h2c/trailers"]));
[$rc, $out] = $curl(['--http1.1', '-D', '-', '-o', '/dev/null', '-w', '%{size_download}', "$h2c/file"]);
echo 'sendFile: ', preg_match('/content-length: (\d+)/', $out, $m) ? "content-length $m[1]" : 'no content-length', ', ', preg_replace('/.*\r\n\r\n/s', '', $out), " bytes\n";

$raw = fn(string ...$args) => h2srv_run(['/usr/bin/python3', __DIR__ . '/inc/h1raw.py', (string)$plain, ...$args])[1];
echo $raw('continue');
echo $raw('pipeline', '100');
echo $raw('deferred');

// HTTP/2 and HTTP/1.1 clients on the same port at the same time.
$h1 = proc_open(['h2load', '--h1', '-n', '20000', '-c', '20', '-t', '1', "$tls/p"], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$r2 = h2srv_h2load(['-n', '20000', '-c', '20', '-m', '10', "$tls/p"]);
$out1 = stream_get_contents($pipes[1]);
proc_close($h1);
preg_match('/(\d+) succeeded, (\d+) failed, (\d+) errored/', $out1, $m1);
echo "at once: h2 {$r2['succeeded']} succeeded {$r2['failed']} failed, h1 {$m1[1]} succeeded {$m1[2]} failed\n";
$srv->stop();
unlink($file);
?>
--EXPECTF--
TLS h1: GET HTTP/1.1 https 127.0.0.1:%d /a {"x":"1"} [] body=0
TLS no ALPN: GET HTTP/1.1 https 127.0.0.1:%d /a [] [] body=0
cleartext h1: POST HTTP/1.1 http 127.0.0.1:%d /post [] {"content-length":"5","content-type":"application\/x-www-form-urlencoded"} body=5
h2 beside it: GET HTTP/2 https 127.0.0.1:%d /h2 [] [] body=0
h2c beside it: GET HTTP/2 http 127.0.0.1:%d /h2c [] [] body=0
absolute target: GET HTTP/1.1 http other.example:8080 /abs {"q":"2"} [] body=0
custom headers: GET HTTP/1.1 http 127.0.0.1:%d /h [] {"x-one":"1"} body=0
connects per transfer: 1 0 0 
HTTP/1.0: HTTP/1.1 200 OK|content-type: text/plain|content-length: %d|connection: close||GET HTTP/1.0 http 127.0.0.1:%d /ten [] [] body=0
HTTP/1.0 stream(): HTTP/1.1 200 OK|connection: close||part1
part2
part3
Connection: close: HTTP/1.1 200 OK|content-type: text/plain|content-length: %d|connection: close||GET HTTP/1.1 http 127.0.0.1:%d /close [] [] body=0
HEAD: HTTP/1.1 200 OK|content-type: text/plain|content-length: %d||
stream(): HTTP/1.1 200 OK|transfer-encoding: chunked||12|part1
part2
part3
|0||
trailers, TE: trailers: HTTP/1.1 200 OK|transfer-encoding: chunked||5|body
|0|x-checksum: abc123||
trailers, no TE: HTTP/1.1 200 OK|content-length: 5||body
sendFile: content-length 100000, 100000 bytes
before the body: HTTP/1.1 100 Continue
after the body: HTTP/1.1 200 OK | POST HTTP/1.1 http x /upload [] {"content-length":"5","expect":"100-continue"} body=5
pipeline: 100 answered, in order=True
deferred then immediate: /deferred then /p1
at once: h2 20000 succeeded 0 failed, h1 20000 succeeded 0 failed