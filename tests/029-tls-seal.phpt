--TEST--
TLS 1.3 records sealed by h2srv: byte-exact with each TLS 1.3 suite, across KeyUpdates asked for by the client (h2srv seals its answering KeyUpdate, then OpenSSL, which keeps the next key, seals the rest), TLS 1.2 and tls_seal=openssl left to OpenSSL
--SKIPIF--
<?php
$needs = ['curl', 'openssl', 'python3-h2'];
require __DIR__ . '/inc/skipif.inc';
if (!str_contains(shell_exec(PHP_BINARY . ' -n -d extension=' . getenv('H2SRV_SO') . ' --ri h2srv') ?? '', 'sealed by h2srv => available')) {
    die('skip this build or OpenSSL cannot hand the TLS 1.3 key to h2srv');
}
?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$code = <<<'PHP'
// One implode, not an append per piece: under the ASan suite (no Zend allocator) each append
// copies the whole string (27 s for test 015's 5000 pieces on a loaded machine, while the first
// client waited, past its 20 s).
$big = implode('', array_map(fn($i) => sha1((string)$i) . str_repeat(chr(65 + $i % 26), 300), range(0, 2999)));
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($big, $server): void {
    if ($req->path() === '/stats') {
        $res->end(json_encode($server->stats()['tls']));
        return;
    }
    $body = $req->path() === '/3' ? "ok\n" : $big;
    $res->header('x-sha1', sha1($body))->end($body);
});
PHP;
$suites = ['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'];

function exact(TestServer $srv, string $path, array $args): string
{
    [$rc, $out] = h2srv_curl($srv->url($path), array_merge(['-D', '-'], $args));
    preg_match('/x-sha1: (\w+)/', $out, $m);
    return $rc === 0 && isset($m[1]) && sha1(substr($out, strpos($out, "\r\n\r\n") + 4)) === $m[1] ? 'exact' : "WRONG($rc)";
}

function tls_stats(TestServer $srv): string
{
    $st = json_decode(h2srv_curl($srv->url('/stats'))[1], true);
    return "handshakes {$st['handshakes']}, sealed {$st['sealed']}";
}

$srv = new TestServer($code);
foreach ($suites as $suite) {
    echo "$suite: /3 ", exact($srv, '/3', ['--tls13-ciphers', $suite]), ', /big ', exact($srv, '/big', ['--tls13-ciphers', $suite]), "\n";
}
echo 'TLS 1.2: /big ', exact($srv, '/big', ['--tls-max', '1.2']), "\n";
foreach ($suites as $suite) {
    echo h2srv_py('keyupdate.py', [(string)$srv->port, $suite, '3', '/big'])[1];
}
// 7 TLS 1.3 connections sealed so far (3 curl pairs, 3 s_client), and this one; not TLS 1.2.
echo tls_stats($srv), "\n";

$srv = new TestServer($code, [], ['h2srv.tls_seal' => 'openssl']);
echo 'tls_seal=openssl: /big ', exact($srv, '/big', []), ', ', h2srv_py('keyupdate.py', [(string)$srv->port, $suites[0], '1', '/big'])[1];
echo tls_stats($srv), "\n";
$srv = new TestServer($code, [], ['h2srv.tls_emit' => 'drain']);
echo 'drain: /big ', exact($srv, '/big', []), ', ', tls_stats($srv), "\n";
?>
--EXPECT--
TLS_AES_128_GCM_SHA256: /3 exact, /big exact
TLS_AES_256_GCM_SHA384: /3 exact, /big exact
TLS_CHACHA20_POLY1305_SHA256: /3 exact, /big exact
TLS 1.2: /big exact
TLS_AES_128_GCM_SHA256 exact exact exact exact client-keyupdates=3 server-keyupdates=3
TLS_AES_256_GCM_SHA384 exact exact exact exact client-keyupdates=3 server-keyupdates=3
TLS_CHACHA20_POLY1305_SHA256 exact exact exact exact client-keyupdates=3 server-keyupdates=3
handshakes 11, sealed 10
tls_seal=openssl: /big exact, TLS_AES_128_GCM_SHA256 exact exact client-keyupdates=1 server-keyupdates=1
handshakes 3, sealed 0
drain: /big exact, handshakes 2, sealed 0
