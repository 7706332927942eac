--TEST--
On a listener with http1 => false, a client offering only http/1.1 in ALPN, or no ALPN at all, is refused at the TLS layer with no_application_protocol
--SKIPIF--
<?php $needs = ['curl', 'openssl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function ($req, $res) { $res->end('served'); });
PHP, ['log_level' => 'info', 'http1' => false]); // failed handshakes are logged at info
[$rc, $out, $err] = h2srv_curl($srv->url('/'), ['--http1.1']);
echo "curl --http1.1: rc=$rc body=", var_export($out, true), "\n";
foreach ([['-alpn', 'http/1.1'], []] as $alpn) {
    [$rc, $out, $err] = h2srv_run(array_merge(['openssl', 's_client', '-connect', "127.0.0.1:{$srv->port}"], $alpn), '');
    echo 'openssl ', $alpn ? 'alpn http/1.1' : 'no alpn', ': ',
        preg_match('/alert no application protocol/', $err) ? 'alert no application protocol' : "other: $err", "\n";
}
[$rc, $out] = h2srv_curl($srv->url('/'));
echo "h2 still served: $out\n";
$srv->stop();
echo substr_count($srv->stderr(), 'TLS handshake failed'), " handshake failures logged\n";
?>
--EXPECT--
curl --http1.1: rc=35 body=''
openssl alpn http/1.1: alert no application protocol
openssl no alpn: alert no application protocol
h2 still served: served
3 handshake failures logged
