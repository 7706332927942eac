--TEST--
Static files answered by the transport (option static, both dispatch modes, HTTP/2 and HTTP/1.1): content types from /etc/mime.types, ETag and Last-Modified answered 304 on either validator, ranges (first, middle, last, suffix, past the end) byte-exact as 206 and an unsatisfiable one 416, If-Range, HEAD, index.html with static_index (a directory without its slash redirected), precompressed siblings chosen by Accept-Encoding and decoded byte-exact with brotli, zstd and gzip; "..", an encoded slash and an encoded traversal refused with 400, a symlink out of the directory 404, a dotfile and a missing file passed to the handler, a file replaced on disk served fresh after the cache's re-check interval, and no handler call for anything served; Response::sendFile() answers validators and ranges the same way
--SKIPIF--
<?php $needs = ['curl', 'nghttp', 'brotli', 'zstd', 'gzip']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$root = sys_get_temp_dir() . '/h2srv-static-' . getmypid();
@mkdir("$root/pub/docs", 0755, true);
@mkdir("$root/outside");
file_put_contents("$root/pub/hello.txt", "hello, static\n");
file_put_contents("$root/pub/app.js", str_repeat("console.log('h2srv');\n", 200));
file_put_contents("$root/pub/docs/index.html", "<h1>docs</h1>\n");
file_put_contents("$root/pub/.env", "SECRET=1\n");
file_put_contents("$root/outside/secret.txt", "outside\n");
symlink("$root/outside/secret.txt", "$root/pub/escape.txt");
$big = random_bytes(300000);
file_put_contents("$root/pub/big.bin", $big);
exec('cd ' . escapeshellarg("$root/pub") . ' && brotli -k app.js && zstd -q -k app.js && gzip -k app.js');
$plain = h2srv_free_port();
$srv = new TestServer(<<<PHP
\$server->handle(function (\$req, \$res) {
    if (\$req->path() === '/send') {
        \$res->sendFile('$root/pub/big.bin'); // sendFile() answers validators and ranges too
        return;
    }
    echo "handler: {\$req->path()}\n";
    \$res->end("from the handler: {\$req->path()}\n");
});
PHP, ['listen' => [['address' => "127.0.0.1:$plain", 'tls' => false]], 'static' => ['/' => "$root/pub"], 'static_index' => true]);
$tls = "https://127.0.0.1:{$srv->port}";
foreach (['--http2' => $tls, '--http1.1' => "http://127.0.0.1:$plain"] as $proto => $base) {
    echo "== $proto\n";
    $get = function (string $path, array $args = []) use ($proto, $base): array {
        [$rc, $out] = h2srv_run(['curl', '-sSk', $proto, '--path-as-is', '-D', '-', "$base$path", ...$args]);
        [$head, $body] = explode("\r\n\r\n", $out, 2) + [1 => ''];
        preg_match('#^HTTP/\S+ (\d+)#', $head, $m);
        $h = [];
        foreach (explode("\r\n", $head) as $line) {
            if (str_contains($line, ': ')) {
                [$k, $v] = explode(': ', $line, 2);
                $h[strtolower($k)] = $v;
            }
        }
        return [(int)($m[1] ?? 0), $h, $body];
    };
    [$st, $h, $body] = $get('/hello.txt');
    echo "hello.txt: $st {$h['content-type']} ", trim($body), ", accept-ranges {$h['accept-ranges']}\n";
    [$st, $h] = $get('/app.js');
    echo "app.js: {$h['content-type']}\n";
    $etag = $h['etag'];
    echo '304 on If-None-Match: ', $get('/app.js', ['-H', "If-None-Match: \"x\", $etag"])[0], ', on W/: ', $get('/app.js', ['-H', "If-None-Match: W/$etag"])[0],
        ', on If-Modified-Since: ', $get('/app.js', ['-H', "If-Modified-Since: {$h['last-modified']}"])[0],
        ', an older date: ', $get('/app.js', ['-H', 'If-Modified-Since: Sat, 01 Jan 2000 00:00:00 GMT'])[0], "\n";
    foreach (['0-99' => [0, 100], '1000-1999' => [1000, 1000], '299900-' => [299900, 100], '-500' => [299500, 500], '299000-999999' => [299000, 1000]] as $r => [$off, $len]) {
        [$st, $h, $body] = $get('/big.bin', ['-r', $r]);
        echo "range $r: $st {$h['content-range']} ", $body === substr($big, $off, $len) ? 'byte-exact' : 'WRONG', "\n";
    }
    $etagBig = $get('/big.bin')[1]['etag'];
    [$st, $h] = $get('/big.bin', ['-r', '400000-']);
    echo "range past the end: $st {$h['content-range']}\n";
    [$st, , $body] = $get('/big.bin', ['-r', '0-9', '-H', 'If-Range: "stale"']);
    echo 'If-Range not matching: ', $st, ' ', strlen($body), " bytes\n";
    [$st, $h] = $get('/big.bin', ['-I']);
    [, $size] = h2srv_run(['curl', '-sSk', $proto, '-I', '-o', '/dev/null', '-w', '%{size_download}', "$base/big.bin"]);
    echo "HEAD: $st content-length {$h['content-length']}, body $size bytes\n";
    [$st, $h] = $get('/docs?x=1');
    echo 'directory: ', trim($get('/docs/')[2]), ', without its slash: ', $st, ' to ', $h['location'] ?? 'nowhere', "\n";
    foreach (['br' => 'brotli -d -c', 'zstd' => 'zstd -d -c -q', 'gzip' => 'gzip -d -c'] as $enc => $tool) {
        [$rc, $out] = h2srv_run(['bash', '-c', 'curl -sSk ' . $proto . ' -H ' . escapeshellarg("Accept-Encoding: $enc, identity;q=0.5") . ' -D /dev/stderr '
            . escapeshellarg("$base/app.js") . " 2>$root/h | $tool"]);
        $head = file_get_contents("$root/h");
        echo "precompressed $enc: ", preg_match("/content-encoding: $enc\r/", $head) && str_contains($head, "vary: accept-encoding") ? 'coded, vary' : 'NOT coded',
            ', ', $out === file_get_contents("$root/pub/app.js") ? 'decodes byte-exact' : 'decodes WRONG', "\n";
    }
    [$st, $h] = $get('/app.js', ['-H', 'Accept-Encoding: br;q=0, gzip']);
    echo 'br refused with q=0: ', $h['content-encoding'] ?? 'none', "\n";
    foreach (['/../etc/passwd', '/docs/../../etc/passwd', '/%2e%2e/outside/secret.txt', '/docs%2findex.html', '/hello.txt%00.js'] as $path) {
        echo "$path: ", $get($path)[0], "\n";
    }
    echo '/escape.txt (a symlink out): ', $get('/escape.txt')[0], "\n";
    echo '/.env: ', trim($get('/.env')[2]), "\n";
    echo '/missing.css: ', trim($get('/missing.css')[2]), "\n";
    echo 'POST /hello.txt: ', trim($get('/hello.txt', ['-d', 'x'])[2]), "\n";
    [$st, $h] = $get('/send');
    echo "sendFile(): $st etag ", $h['etag'] === $etagBig ? 'as the mount\'s' : 'different', ", accept-ranges {$h['accept-ranges']}",
        ', 304: ', $get('/send', ['-H', "If-None-Match: $etagBig"])[0];
    [$st, $h, $body] = $get('/send', ['-r', '-1000']);
    echo ", range: $st {$h['content-range']} ", $body === substr($big, -1000) ? 'byte-exact' : 'WRONG',
        ', past the end: ', $get('/send', ['-r', '300000-'])[0], "\n";
}
// A file replaced on disk is served fresh once the cache's re-check interval (1 s) has passed.
file_put_contents("$root/pub/hello.txt", "replaced\n");
usleep(1100000);
echo 'replaced on disk: ', h2srv_run(['curl', '-sSk', "$tls/hello.txt"])[1];
$srv->stop();
echo $srv->stdout();
foreach ([['/' => '/nonexistent/dir'], ['assets' => $root], ['/' => 5]] as $bad) {
    try {
        new H2srv\Server(['listen' => '127.0.0.1:1', 'tls' => false, 'static' => $bad]);
    } catch (H2srv\Exception $e) {
        echo 'bad static option: ', str_replace($root, 'ROOT', $e->getMessage()), "\n";
    }
}
exec('rm -rf ' . escapeshellarg($root));
?>
--EXPECT--
== --http2
hello.txt: 200 text/plain hello, static, accept-ranges bytes
app.js: text/javascript
304 on If-None-Match: 304, on W/: 304, on If-Modified-Since: 304, an older date: 200
range 0-99: 206 bytes 0-99/300000 byte-exact
range 1000-1999: 206 bytes 1000-1999/300000 byte-exact
range 299900-: 206 bytes 299900-299999/300000 byte-exact
range -500: 206 bytes 299500-299999/300000 byte-exact
range 299000-999999: 206 bytes 299000-299999/300000 byte-exact
range past the end: 416 bytes */300000
If-Range not matching: 200 300000 bytes
HEAD: 200 content-length 300000, body 0 bytes
directory: <h1>docs</h1>, without its slash: 301 to /docs/?x=1
precompressed br: coded, vary, decodes byte-exact
precompressed zstd: coded, vary, decodes byte-exact
precompressed gzip: coded, vary, decodes byte-exact
br refused with q=0: gzip
/../etc/passwd: 400
/docs/../../etc/passwd: 400
/%2e%2e/outside/secret.txt: 400
/docs%2findex.html: 400
/hello.txt%00.js: 400
/escape.txt (a symlink out): 404
/.env: from the handler: /.env
/missing.css: from the handler: /missing.css
POST /hello.txt: from the handler: /hello.txt
sendFile(): 200 etag as the mount's, accept-ranges bytes, 304: 304, range: 206 bytes 299000-299999/300000 byte-exact, past the end: 416
== --http1.1
hello.txt: 200 text/plain hello, static, accept-ranges bytes
app.js: text/javascript
304 on If-None-Match: 304, on W/: 304, on If-Modified-Since: 304, an older date: 200
range 0-99: 206 bytes 0-99/300000 byte-exact
range 1000-1999: 206 bytes 1000-1999/300000 byte-exact
range 299900-: 206 bytes 299900-299999/300000 byte-exact
range -500: 206 bytes 299500-299999/300000 byte-exact
range 299000-999999: 206 bytes 299000-299999/300000 byte-exact
range past the end: 416 bytes */300000
If-Range not matching: 200 300000 bytes
HEAD: 200 content-length 300000, body 0 bytes
directory: <h1>docs</h1>, without its slash: 301 to /docs/?x=1
precompressed br: coded, vary, decodes byte-exact
precompressed zstd: coded, vary, decodes byte-exact
precompressed gzip: coded, vary, decodes byte-exact
br refused with q=0: gzip
/../etc/passwd: 400
/docs/../../etc/passwd: 400
/%2e%2e/outside/secret.txt: 400
/docs%2findex.html: 400
/hello.txt%00.js: 400
/escape.txt (a symlink out): 404
/.env: from the handler: /.env
/missing.css: from the handler: /missing.css
POST /hello.txt: from the handler: /hello.txt
sendFile(): 200 etag as the mount's, accept-ranges bytes, 304: 304, range: 206 bytes 299000-299999/300000 byte-exact, past the end: 416
replaced on disk: replaced
handler: /.env
handler: /missing.css
handler: /hello.txt
handler: /.env
handler: /missing.css
handler: /hello.txt
run returned
bad static option: option "static": cannot serve "/" from "/nonexistent/dir": No such file or directory
bad static option: option "static": cannot serve "assets" from "ROOT": its URL prefix must start with "/"
bad static option: option "static" takes ["/url/prefix" => "/directory", ...]