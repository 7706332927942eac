--TEST--
Slowloris: 300 connections that stop before the ClientHello, after the handshake, or inside their first header block are all closed on their timers; file descriptors return to baseline
--SKIPIF--
<?php $needs = ['python3-h2', 'curl']; require __DIR__ . '/../inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER, ['handshake_timeout' => 1, 'read_timeout' => 1, 'idle_timeout' => 1]);
$fds0 = h2srv_fd_baseline($srv);
$r = h2srv_rawpeer($srv->port, 'slowloris', '300');
echo "closed by the server: {$r['closed']} of {$r['of']}\n";
// The slowest kind needs read_timeout (stream reset) plus idle_timeout (GOAWAY), each up to a sweep late.
echo 'all gone within 4 s: ', $r['last_secs'] < 4.0 ? "yes\n" : "no ({$r['last_secs']} s)\n";
echo 'file descriptors back to baseline: ',
    h2srv_eventually(fn() => h2srv_fd_count($srv->pid()) <= $fds0, 3) ? "yes\n" : 'no (' . h2srv_fd_count($srv->pid()) . " vs $fds0)\n";
[$rc, $out] = h2srv_curl($srv->url('/after'));
echo "a normal request afterwards: $out\n";
?>
--EXPECT--
closed by the server: 300 of 300
all gone within 4 s: yes
file descriptors back to baseline: yes
a normal request afterwards: ok
