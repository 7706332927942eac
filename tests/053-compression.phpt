--TEST--
Compression of PHP responses (option compression): br, zstd and gzip negotiated from Accept-Encoding with q-values and decoded byte-exact by the brotli, zstd and gzip tools, content-length of the coded body, vary on anything that could be coded; nothing coded below compression_min_size, for a type not in compression_types, after compress(false), or when the handler set content-encoding; a streamed server-sent-events body coded as it flows, each event arriving as it is sent; stats count bytes before and after; bad options throw; over HTTP/2 and HTTP/1.1
--SKIPIF--
<?php $needs = ['curl', 'brotli', 'zstd', 'gzip']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$plain = h2srv_free_port();
$srv = new TestServer(<<<'PHP'
$json = json_encode(array_map(fn($i) => ['id' => $i, 'name' => "item $i", 'tags' => ['h2srv', 'php']], range(1, 2000)));
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server, $json) {
    switch ($req->path()) {
        case '/json':
            $res->header('content-type', 'application/json')->end($json);
            return;
        case '/small':
            $res->header('content-type', 'application/json')->end('{"small":true}');
            return;
        case '/png':
            $res->header('content-type', 'image/png')->end(str_repeat('p', 50000));
            return;
        case '/optout':
            $res->compress(false)->header('content-type', 'application/json')->end($json);
            return;
        case '/coded':
            $res->header('content-type', 'application/json')->header('content-encoding', 'gzip')->end(gzencode($json));
            return;
        case '/events':
            // Server-sent events: one every 300 ms from a timer; the producer waits in between.
            $queue = [];
            $sent = 0;
            $res->header('content-type', 'text/event-stream');
            $id = $server->every(300, function () use (&$queue, &$sent, &$id, $res, $server) {
                $queue[] = 'data: event ' . ++$sent . ' at ' . number_format(microtime(true), 3, '.', '') . "\n\n";
                if ($sent === 3) {
                    $server->cancel($id);
                }
                $res->resume();
            });
            $res->stream(function () use (&$queue, &$sent) {
                if ($queue) {
                    return array_shift($queue);
                }
                return $sent === 3 ? null : false;
            });
            return;
    }
    $res->end("?\n");
});
register_shutdown_function(function () use ($server) {
    if (!empty($GLOBALS['h2srv_run_returned'])) {
        $c = $server->stats()['compression'];
        echo 'stats: ', $c['in'] > 6 * $c['out'] ? 'in several times out' : json_encode($c), "\n";
    }
});
PHP, ['listen' => [['address' => "127.0.0.1:$plain", 'tls' => false]], 'compression' => ['br', 'zstd', 'gzip']]);
$dir = sys_get_temp_dir() . '/h2srv-cz-' . getmypid();
@mkdir($dir);
$plainJson = h2srv_run(['curl', '-sSk', "https://127.0.0.1:{$srv->port}/json"])[1];
foreach (['--http2' => "https://127.0.0.1:{$srv->port}", '--http1.1' => "http://127.0.0.1:$plain"] as $proto => $base) {
    echo "== $proto\n";
    $get = function (string $path, string $accept) use ($proto, $base, $dir): array {
        h2srv_run(['curl', '-sSk', $proto, '-H', "Accept-Encoding: $accept", '-D', "$dir/h", '-o', "$dir/b", "$base$path"]);
        $h = [];
        foreach (explode("\r\n", (string)file_get_contents("$dir/h")) as $line) {
            if (str_contains($line, ': ')) {
                [$k, $v] = explode(': ', $line, 2);
                $h[strtolower($k)] = $v;
            }
        }
        return [$h, file_get_contents("$dir/b")];
    };
    foreach (['br' => 'brotli -dc', 'zstd' => 'zstd -dcq', 'gzip' => 'gzip -dc'] as $enc => $tool) {
        [$h, $body] = $get('/json', $enc);
        $decoded = h2srv_run(['bash', '-c', "$tool $dir/b"])[1];
        echo "$enc: ", $h['content-encoding'] ?? 'none', ', vary ', $h['vary'] ?? 'none',
            isset($h['content-length']) ? ($h['content-length'] == strlen($body) ? ', content-length right' : ', content-length WRONG') : '',
            ', ', strlen($body) * 4 < strlen($plainJson) ? 'under a quarter' : 'not smaller', ', ',
            $decoded === $plainJson ? 'decodes byte-exact' : 'decodes WRONG', "\n";
    }
    echo 'q-values (gzip;q=0.5, br;q=0.9, zstd;q=0): ', $get('/json', 'gzip;q=0.5, br;q=0.9, zstd;q=0')[0]['content-encoding'] ?? 'none', "\n";
    echo 'wildcard (*): ', $get('/json', '*')[0]['content-encoding'] ?? 'none', "\n";
    [$h, $body] = $get('/json', 'identity');
    echo 'identity only: ', $h['content-encoding'] ?? 'not coded', ', vary ', $h['vary'] ?? 'none', ', ', $body === $plainJson ? 'plain' : 'WRONG', "\n";
    foreach (['/small', '/png', '/optout'] as $path) {
        [$h] = $get($path, 'gzip, br');
        echo "$path: ", $h['content-encoding'] ?? 'not coded', "\n";
    }
    [$h, $body] = $get('/coded', 'br');
    echo '/coded (the handler\'s gzip): ', $h['content-encoding'], ', ', gzdecode($body) === $plainJson ? 'untouched' : 'WRONG', "\n";

    // Each event arrives as it is sent, though the body is coded.
    $p = proc_open(['curl', '-sSkN', $proto, '--compressed', '-H', 'Accept-Encoding: gzip', "$base/events"],
        [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $got = [];
    while (($line = fgets($pipes[1])) !== false) {
        if (trim($line) !== '') {
            $got[] = [microtime(true), (float)substr(strrchr(trim($line), ' '), 1)];
        }
    }
    proc_close($p);
    echo 'events: ', count($got), ', ', count($got) === 3 && $got[0][0] < $got[2][1] ? 'the first arrived before the last was sent' : json_encode($got), "\n";
}
$srv->stop();
echo $srv->stdout();
exec('rm -rf ' . escapeshellarg($dir));
foreach ([['compression' => ['deflate']], ['compression_levels' => ['gzip' => 12]], ['compression_types' => ['json']]] as $bad) {
    try {
        new H2srv\Server(['listen' => '127.0.0.1:1', 'tls' => false] + $bad);
    } catch (H2srv\Exception $e) {
        echo 'bad option: ', $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
== --http2
br: br, vary accept-encoding, content-length right, under a quarter, decodes byte-exact
zstd: zstd, vary accept-encoding, content-length right, under a quarter, decodes byte-exact
gzip: gzip, vary accept-encoding, content-length right, under a quarter, decodes byte-exact
q-values (gzip;q=0.5, br;q=0.9, zstd;q=0): br
wildcard (*): br
identity only: not coded, vary accept-encoding, plain
/small: not coded
/png: not coded
/optout: not coded
/coded (the handler's gzip): gzip, untouched
events: 3, the first arrived before the last was sent
== --http1.1
br: br, vary accept-encoding, content-length right, under a quarter, decodes byte-exact
zstd: zstd, vary accept-encoding, content-length right, under a quarter, decodes byte-exact
gzip: gzip, vary accept-encoding, content-length right, under a quarter, decodes byte-exact
q-values (gzip;q=0.5, br;q=0.9, zstd;q=0): br
wildcard (*): br
identity only: not coded, vary accept-encoding, plain
/small: not coded
/png: not coded
/optout: not coded
/coded (the handler's gzip): gzip, untouched
events: 3, the first arrived before the last was sent
run returned
stats: in several times out
bad option: option "compression" takes "br", "zstd" and "gzip", got deflate
bad option: option "compression_levels" takes ["gzip" => 1..9, "br" => 1..11, "zstd" => 1..19]
bad option: option "compression_types" takes up to 32 types such as "text/*" or "application/json"