--TEST--
Request::tls(): protocol, cipher, alpn, sni, resumed and the client certificate; null on h2c. client_verify "optional": a certificate from client_ca is seen in PHP with its fields, one from another CA or none gives null; "require": refused at the handshake without a verified one
--SKIPIF--
<?php $needs = ['curl', 'openssl', 'python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$d = sys_get_temp_dir() . '/h2srv-mtls-' . getmypid();
@mkdir($d);
$ec = '-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes';
foreach (['ca', 'other-ca'] as $ca) {
    exec("openssl req -x509 $ec -days 1 -subj /CN=$ca -keyout $d/$ca.key -out $d/$ca.pem 2>/dev/null");
}
foreach (['alice' => 'ca', 'mallory' => 'other-ca'] as $who => $ca) {
    exec("openssl req $ec -subj '/O=Example/CN=$who' -keyout $d/$who.key -out $d/$who.csr 2>/dev/null");
    exec("openssl x509 -req -in $d/$who.csr -CA $d/$ca.pem -CAkey $d/$ca.key -set_serial 0x1f2e -days 1 -out $d/$who.pem 2>/dev/null");
}
$code = '$server->handle(fn($req, $res) => $res->end(json_encode($req->tls())));';
$show = function (array $args) use ($d): string {
    [$rc, $out] = h2srv_run(['curl', '-sk', '--http2', ...$args]);
    if ($rc !== 0) {
        return "curl failed ($rc)";
    }
    $t = json_decode($out, true);
    if ($t === null) {
        return 'null';
    }
    $cert = $t['client_cert'] === null ? 'null' : sprintf('subject %s, issuer %s, serial %s, valid %s, sha256 %s, pem %s',
        $t['client_cert']['subject'], $t['client_cert']['issuer'], $t['client_cert']['serial'],
        $t['client_cert']['not_after'] - $t['client_cert']['not_before'] === 86400 ? '1 day' : '?',
        $t['client_cert']['sha256'] === hash('sha256', base64_decode(preg_replace('/-----[^-]+-----|\s/', '', file_get_contents("$d/alice.pem")))) ? 'matches' : 'differs',
        openssl_x509_fingerprint($t['client_cert']['pem'], 'sha256') === openssl_x509_fingerprint(file_get_contents("$d/alice.pem"), 'sha256') ? 'the same' : 'differs');
    return "$t[protocol] $t[cipher] alpn $t[alpn], sni " . var_export($t['sni'], true) . ', resumed ' . var_export($t['resumed'], true) . ", client_cert $cert";
};

$h2c = h2srv_free_port();
$srv = new TestServer($code, ['client_ca' => "$d/ca.pem", 'client_verify' => 'optional', 'listen' => [['address' => "127.0.0.1:$h2c", 'tls' => false]]]);
echo 'alice: ', $show(['--cert', "$d/alice.pem", '--key', "$d/alice.key", '--resolve', "app.test:{$srv->port}:127.0.0.1", "https://app.test:{$srv->port}/"]), "\n";
echo 'mallory (other CA): ', $show(['--cert', "$d/mallory.pem", '--key', "$d/mallory.key", $srv->url('/')]), "\n";
echo 'no certificate, no SNI (an IP): ', $show([$srv->url('/')]), "\n";
echo 'TLS 1.2: ', $show(['--tls-max', '1.2', $srv->url('/')]), "\n";
echo 'h2c: ', $show(['--http2-prior-knowledge', "http://127.0.0.1:$h2c/"]), "\n";
[$rc, $out] = h2srv_py('h2peer.py', [(string)$srv->port, 'resumed', '/']);
foreach (explode("\n", trim($out)) as $i => $line) {
    $t = json_decode($line, true);
    echo $t ? "python connection " . ($i + 1) . ": resumed " . var_export($t['resumed'], true) . "\n" : "$line\n";
}
$srv->stop();

$srv = new TestServer($code, ['client_ca' => "$d/ca.pem", 'client_verify' => 'require']);
echo 'require, alice: ', str_contains($show(['--cert', "$d/alice.pem", '--key', "$d/alice.key", $srv->url('/')]), 'CN=alice') ? 'served' : 'refused', "\n";
echo 'require, mallory: ', $show(['--cert', "$d/mallory.pem", '--key', "$d/mallory.key", $srv->url('/')]), "\n";
echo 'require, none: ', $show([$srv->url('/')]), "\n";
$srv->stop();

foreach ([['client_verify' => 'sometimes'], ['client_verify' => 'require'], ['client_ca' => "$d/none.pem", 'client_verify' => 'require']] as $bad) {
    try {
        new H2srv\Server($bad + ['listen' => '127.0.0.1:0', 'cert' => h2srv_cert()[0], 'key' => h2srv_cert()[1]]);
        echo "accepted\n";
    } catch (H2srv\Exception $e) {
        echo str_replace($d, 'DIR', $e->getMessage()), "\n";
    }
}
array_map('unlink', glob("$d/*"));
rmdir($d);
?>
--EXPECTF--
alice: TLSv1.3 TLS_AES_128_GCM_SHA256 alpn h2, sni 'app.test', resumed false, client_cert subject CN=alice,O=Example, issuer CN=ca, serial 1F2E, valid 1 day, sha256 matches, pem the same
mallory (other CA): TLSv1.3 TLS_AES_128_GCM_SHA256 alpn h2, sni NULL, resumed false, client_cert null
no certificate, no SNI (an IP): TLSv1.3 TLS_AES_128_GCM_SHA256 alpn h2, sni NULL, resumed false, client_cert null
TLS 1.2: TLSv1.2 ECDHE-ECDSA-AES128-GCM-SHA256 alpn h2, sni NULL, resumed false, client_cert null
h2c: null
python connection 1: resumed false
python connection 2: resumed true
client saw it resumed: True
require, alice: served
require, mallory: curl failed (%d)
require, none: curl failed (%d)
option "client_verify" must be "none", "optional" or "require", got "sometimes"
option "client_verify" needs "client_ca": the CAs that sign client certificates
client_ca "DIR/none.pem" is not readable: No such file or directory
