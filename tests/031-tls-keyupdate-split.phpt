--TEST--
A client's KeyUpdate (update_requested) arriving in one TCP segment with 0, 5 or 20 bytes of its next TLS record, the rest a moment later: answered, and every later response byte-exact, under each TLS 1.3 suite and both seal modes
--SKIPIF--
<?php
$needs = ['python3-h2'];
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
        $st = $server->stats()['tls'];
        $res->end("handshakes {$st['handshakes']}, sealed {$st['sealed']}");
        return;
    }
    $res->header('x-sha1', sha1($big))->end($big);
});
PHP;
foreach (['h2srv', 'openssl'] as $seal) {
    $srv = new TestServer($code, [], ['h2srv.tls_seal' => $seal]);
    foreach (['TLS_AES_128_GCM_SHA256', 'TLS_AES_256_GCM_SHA384', 'TLS_CHACHA20_POLY1305_SHA256'] as $suite) {
        [$rc, $out, $err] = h2srv_py('tlsrecords.py', [(string)$srv->port, $suite, '/big', '0,5,20']);
        echo preg_replace('/^/m', "$seal ", trim($out)) ?: "$seal rc=$rc $err", "\n";
    }
    echo "$seal ", h2srv_curl($srv->url('/stats'))[1], "\n";
}
?>
--EXPECT--
h2srv TLS_AES_128_GCM_SHA256 0 exact exact exact exact server-keyupdates=1
h2srv TLS_AES_128_GCM_SHA256 5 exact exact exact exact server-keyupdates=1
h2srv TLS_AES_128_GCM_SHA256 20 exact exact exact exact server-keyupdates=1
h2srv TLS_AES_256_GCM_SHA384 0 exact exact exact exact server-keyupdates=1
h2srv TLS_AES_256_GCM_SHA384 5 exact exact exact exact server-keyupdates=1
h2srv TLS_AES_256_GCM_SHA384 20 exact exact exact exact server-keyupdates=1
h2srv TLS_CHACHA20_POLY1305_SHA256 0 exact exact exact exact server-keyupdates=1
h2srv TLS_CHACHA20_POLY1305_SHA256 5 exact exact exact exact server-keyupdates=1
h2srv TLS_CHACHA20_POLY1305_SHA256 20 exact exact exact exact server-keyupdates=1
h2srv handshakes 10, sealed 10
openssl TLS_AES_128_GCM_SHA256 0 exact exact exact exact server-keyupdates=1
openssl TLS_AES_128_GCM_SHA256 5 exact exact exact exact server-keyupdates=1
openssl TLS_AES_128_GCM_SHA256 20 exact exact exact exact server-keyupdates=1
openssl TLS_AES_256_GCM_SHA384 0 exact exact exact exact server-keyupdates=1
openssl TLS_AES_256_GCM_SHA384 5 exact exact exact exact server-keyupdates=1
openssl TLS_AES_256_GCM_SHA384 20 exact exact exact exact server-keyupdates=1
openssl TLS_CHACHA20_POLY1305_SHA256 0 exact exact exact exact server-keyupdates=1
openssl TLS_CHACHA20_POLY1305_SHA256 5 exact exact exact exact server-keyupdates=1
openssl TLS_CHACHA20_POLY1305_SHA256 20 exact exact exact exact server-keyupdates=1
openssl handshakes 10, sealed 0
