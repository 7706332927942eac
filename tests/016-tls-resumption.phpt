--TEST--
TLS sessions resume (TLS 1.3 tickets and TLS 1.2), and a resumed TLS 1.3 session is offered no 0-RTT
--SKIPIF--
<?php $needs = ['openssl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER);
$addr = "127.0.0.1:{$srv->port}";
$sess = "{$srv->dir}/session.pem";
foreach (['TLS 1.3' => [], 'TLS 1.2' => ['-tls1_2']] as $name => $ver) {
    @unlink($sess);
    // s_client keeps reading for a second, so the tickets sent after the handshake arrive.
    h2srv_run(['sh', '-c', 'sleep 1 | openssl s_client -connect ' . $addr . ' -alpn h2 ' . implode(' ', $ver) . " -sess_out $sess"]);
    [$rc, $out] = h2srv_run(['sh', '-c', 'sleep 1 | openssl s_client -connect ' . $addr . ' -alpn h2 ' . implode(' ', $ver) . " -sess_in $sess"]);
    preg_match('/^(Reused|New), (TLSv[\d.]+)/m', $out, $m);
    echo "$name second connection: ", $m ? "$m[1], $m[2]" : 'no handshake', "\n";
    if ($name === 'TLS 1.3') {
        preg_match('/Max Early Data: (\d+)/', $out, $e);
        echo "max early data offered: {$e[1]}\n";
    }
}
?>
--EXPECT--
TLS 1.3 second connection: Reused, TLSv1.3
max early data offered: 0
TLS 1.2 second connection: Reused, TLSv1.2
