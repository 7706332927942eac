--TEST--
The defences hold on a cleartext (h2c) listener too: rapid reset, CONTINUATION flood, control and junk floods, a zero window and an unread socket, slowloris, and the conformance cases answered exactly as over TLS
--SKIPIF--
<?php require __DIR__ . '/../inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$h2c = h2srv_free_port();
$srv = new TestServer(H2SRV_COUNTING_HANDLER, ['listen' => [['address' => "127.0.0.1:$h2c", 'tls' => false]],
    'write_timeout' => 1, 'handshake_timeout' => 1, 'read_timeout' => 1, 'idle_timeout' => 1]);
$plain = fn(string $path) => h2srv_run(['curl', '-sS', '--http2-prior-knowledge', "http://127.0.0.1:$h2c$path"])[1];
h2srv_rawpeer($h2c, 'h2c:ping-flood-unread', '100000'); // warm-up: first-use allocations are not growth
$plain('/warm');
$rss0 = h2srv_tree_rss_kb($srv->pid());
$fds0 = h2srv_fd_count($srv->pid());

$r = h2srv_rawpeer($h2c, 'h2c:rapid-reset', '10000');
echo "rapid reset: {$r['goaway']}", $r['secs'] < 1.0 ? ' within 1 s' : " after {$r['secs']} s", ", a new connection afterwards: {$r['other']}\n";
foreach (['empty', 'junk'] as $kind) {
    $r = h2srv_rawpeer($h2c, 'h2c:continuation-flood', $kind);
    echo "CONTINUATION flood ($kind): ", $r['goaway'], $r['secs'] < 1.0 ? " within 1 s\n" : " after {$r['secs']} s\n";
}
foreach ([['ping-flood-read', '100000'], ['ping-flood-unread', '100000'], ['junk', 'settings', '100000'],
    ['junk', 'data', '100000'], ['junk', 'unknown', '100000']] as $args) {
    $r = h2srv_rawpeer($h2c, 'h2c:' . $args[0], ...array_slice($args, 1));
    echo implode(' ', $args), ": {$r['goaway']}", $r['secs'] < 1.0 ? "\n" : " (after {$r['secs']} s)\n";
}
$r = h2srv_rawpeer($h2c, 'h2c:zero-window', '/big');
echo "zero window: status {$r['statuses']}, body bytes {$r['data']}, closed ",
    $r['eof'] && $r['secs'] < 2.5 ? "within write_timeout + 1 s\n" : "late ({$r['secs']} s, eof={$r['eof']})\n";
$r = h2srv_rawpeer($h2c, 'h2c:no-read', '/big');
echo 'unread socket: closed ', $r['closed_after'] < 3.0 ? "within write_timeout + 1 s\n" : "late ({$r['closed_after']} s)\n";
$r = h2srv_rawpeer($h2c, 'h2c:slowloris', '60');
echo "slowloris: {$r['closed']} of {$r['of']} closed", $r['last_secs'] < 2.5 ? " within their timeouts\n" : " late ({$r['last_secs']} s)\n";
echo 'RSS growth under 2 MiB: ', h2srv_rss_within($srv->pid(), $rss0, 2048), "\n";
echo 'file descriptors back to baseline: ',
    h2srv_eventually(fn() => h2srv_fd_count($srv->pid()) <= $fds0, 3) ? "yes\n" : 'no (' . h2srv_fd_count($srv->pid()) . " vs $fds0)\n";

[$rc, $tls] = h2srv_run(['/usr/bin/python3', dirname(__DIR__) . '/inc/rawpeer.py', (string)$srv->port, 'conformance'], null, 60);
[$rc, $clear] = h2srv_run(['/usr/bin/python3', dirname(__DIR__) . '/inc/rawpeer.py', (string)$h2c, 'h2c:conformance'], null, 60);
$n = count(array_filter(explode("\n", trim($tls))));
echo "conformance: ", $clear === $tls && $n >= 20 ? "the same $n answers as over TLS\n" : "differs:\n--- TLS\n$tls--- h2c\n$clear";
echo 'a normal request afterwards: ', $plain('/after'), "\n";
$srv->stop();
?>
--EXPECT--
rapid reset: ENHANCE_YOUR_CALM within 1 s, a new connection afterwards: 200
CONTINUATION flood (empty): PROTOCOL_ERROR within 1 s
CONTINUATION flood (junk): COMPRESSION_ERROR within 1 s
ping-flood-read 100000: ENHANCE_YOUR_CALM
ping-flood-unread 100000: ENHANCE_YOUR_CALM
junk settings 100000: ENHANCE_YOUR_CALM
junk data 100000: ENHANCE_YOUR_CALM
junk unknown 100000: ENHANCE_YOUR_CALM
zero window: status 200:1, body bytes 0, closed within write_timeout + 1 s
unread socket: closed within write_timeout + 1 s
slowloris: 60 of 60 closed within their timeouts
RSS growth under 2 MiB: yes
file descriptors back to baseline: yes
conformance: the same 28 answers as over TLS
a normal request afterwards: ok
