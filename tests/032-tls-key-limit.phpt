--TEST--
A write key that reaches its usage limit (h2srv.tls_key_records, lowered here from 2^23 records): TLS 1.3 sends a KeyUpdate and goes on under the next key (sealed by h2srv, then by OpenSSL), every response byte-exact; TLS 1.2, which cannot update its key, gets a graceful GOAWAY and the client goes on over a new connection
--SKIPIF--
<?php
$needs = ['curl', 'python3-h2'];
require __DIR__ . '/inc/skipif.inc';
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
    $res->header('x-sha1', sha1($big))->end($big);
});
PHP;
function tls_stats(TestServer $srv): array
{
    return json_decode(h2srv_curl($srv->url('/stats'))[1], true);
}

foreach (['h2srv', 'openssl'] as $seal) {
    // /big is about 56 TLS records: four of them take a 40-record key through several updates.
    $srv = new TestServer($code, [], ['h2srv.tls_seal' => $seal, 'h2srv.tls_key_records' => 40]);
    foreach (['TLS_AES_128_GCM_SHA256', 'TLS_CHACHA20_POLY1305_SHA256'] as $suite) {
        [$rc, $out, $err] = h2srv_py('tlsrecords.py', [(string)$srv->port, $suite, '/big', '-']);
        preg_match('/^(\S+) - (.*) server-keyupdates=(\d+)$/', trim($out), $m)
            or print("unexpected (exit $rc): $out$err\n"); // (a failure says what the client saw)
        $counted[$suite] = (int)$m[3];
        echo "$seal $suite: $m[2], KeyUpdates seen by the client: ", $m[3] >= 4 ? 'at least 4' : $m[3], "\n";
    }
    $st = tls_stats($srv);
    echo "$seal server counted every one: ", var_export($st['key_updates'] === array_sum($counted), true),
        ", sealed $st[sealed], goaways $st[key_goaways]\n";
}

$srv = new TestServer($code, [], ['h2srv.tls_key_records' => 40]);
[$rc, $out] = h2srv_curl($srv->url('/big'), ['--tls-max', '1.2', '-D', '-', '-o', '/dev/null', '-w', '%{num_connects} ', $srv->url('/big')]);
$st = tls_stats($srv);
echo "TLS 1.2: curl rc $rc, statuses ", implode(',', array_map(fn($m) => $m, preg_match_all('/HTTP\/2 (\d+)/', $out, $mm) ? $mm[1] : [])),
    ", connections ", $st['handshakes'] - 1, ", goaways $st[key_goaways], updates $st[key_updates]\n";
?>
--EXPECT--
h2srv TLS_AES_128_GCM_SHA256: exact exact exact exact, KeyUpdates seen by the client: at least 4
h2srv TLS_CHACHA20_POLY1305_SHA256: exact exact exact exact, KeyUpdates seen by the client: at least 4
h2srv server counted every one: true, sealed 3, goaways 0
openssl TLS_AES_128_GCM_SHA256: exact exact exact exact, KeyUpdates seen by the client: at least 4
openssl TLS_CHACHA20_POLY1305_SHA256: exact exact exact exact, KeyUpdates seen by the client: at least 4
openssl server counted every one: true, sealed 0, goaways 0
TLS 1.2: curl rc 0, statuses 200,200, connections 2, goaways 2, updates 0
