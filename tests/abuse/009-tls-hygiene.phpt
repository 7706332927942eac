--TEST--
TLS hygiene: TLS 1.1 and renegotiation are refused with alerts; a cleartext HTTP/2 preface or garbage on the TLS port is closed within 1 s and logged once
--SKIPIF--
<?php $needs = ['python3-h2', 'openssl']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER, ['log_level' => 'info']); // failed handshakes are logged at info
$addr = "127.0.0.1:{$srv->port}";

// The client is told to allow TLS 1.1 (SECLEVEL=0), so the refusal is the server's.
[$rc, $out, $err] = h2srv_run(['openssl', 's_client', '-connect', $addr, '-tls1_1', '-cipher', 'DEFAULT@SECLEVEL=0', '-alpn', 'h2'], '');
echo 'TLS 1.1: ', str_contains($out . $err, 'alert protocol version') ? "refused with protocol_version\n" : "accepted?\n$out$err\n";

[$rc, $out, $err] = h2srv_run(['sh', '-c', "(sleep 1; echo R; sleep 2) | openssl s_client -connect $addr -tls1_2 -alpn h2"]);
echo 'TLS 1.2 renegotiation: ', str_contains($out . $err, 'no renegotiation') ? "refused\n" : "allowed?\n";

foreach (['preface', 'garbage'] as $what) {
    $r = h2srv_rawpeer($srv->port, 'not-tls', $what);
    echo "$what on the TLS port: closed ", $r['closed_after'] < 1.0 ? "within 1 s\n" : "after {$r['closed_after']} s\n";
}
$srv->stop();
$lines = preg_grep('/TLS handshake failed/', explode("\n", $srv->stderr()));
echo 'handshake failures logged: ', count($lines), "\n";
?>
--EXPECT--
TLS 1.1: refused with protocol_version
TLS 1.2 renegotiation: refused
preface on the TLS port: closed within 1 s
garbage on the TLS port: closed within 1 s
handshake failures logged: 3
