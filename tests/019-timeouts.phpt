--TEST--
Each timeout fires on time: handshake_timeout for a connect without ClientHello and for TLS without the preface, idle_timeout for an idle connection, read_timeout then idle_timeout for a half-sent header block; file descriptors return to baseline
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER, ['handshake_timeout' => 1, 'idle_timeout' => 2, 'read_timeout' => 1.5]);
$fds0 = h2srv_fd_baseline($srv);
$r = h2srv_rawpeer($srv->port, 'slowloris', '8');
echo "closed by the server: {$r['closed']} of {$r['of']}\n";
// [earliest, latest] in seconds: the timeout, then up to one 250 ms sweep and 1 s of slack.
$expect = ['no-hello' => [1, 1], 'no-preface' => [1, 1], 'idle' => [2, 2], 'partial-headers' => [3.5, 3.5]];
foreach ($expect as $kind => [$lo, $hi]) {
    $t = (float)$r[$kind];
    echo "$kind: ", $t >= $lo - 0.1 && $t <= $hi + 1.0 ? 'on time' : "at $t s", "\n";
}
echo 'file descriptors back to baseline: ',
    h2srv_eventually(fn() => h2srv_fd_count($srv->pid()) <= $fds0, 3) ? "yes\n" : 'no (' . h2srv_fd_count($srv->pid()) . " vs $fds0)\n";
?>
--EXPECT--
closed by the server: 8 of 8
no-hello: on time
no-preface: on time
idle: on time
partial-headers: on time
file descriptors back to baseline: yes
