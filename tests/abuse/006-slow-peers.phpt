--TEST--
Slow peers: a zero window or an unread socket on an 8 MiB response is cut off at write_timeout with bounded memory; a stalled body or header block is reset at read_timeout, then the idle connection gets GOAWAY
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER, ['write_timeout' => 1, 'read_timeout' => 1, 'idle_timeout' => 1]);
h2srv_curl($srv->url('/warm'));
$rss0 = h2srv_tree_rss_kb($srv->pid());
$fds0 = h2srv_fd_count($srv->pid());

$r = h2srv_rawpeer($srv->port, 'zero-window', '/big');
echo "zero window: status {$r['statuses']}, body bytes {$r['data']}, closed ",
    $r['eof'] && $r['secs'] < 2.5 ? "within write_timeout + 1 s\n" : "late ({$r['secs']} s, eof={$r['eof']})\n";

$r = h2srv_rawpeer($srv->port, 'no-read', '/big');
echo 'unread socket: closed ', $r['closed_after'] < 3.0 ? "within write_timeout + 1 s\n" : "late ({$r['closed_after']} s)\n";
// The response is 8 MiB; what the server holds for a peer is bounded by its output cap.
echo 'memory held for the slow peers under 2 MiB: ', h2srv_rss_within($srv->pid(), $rss0, 2048), "\n";

$r = h2srv_rawpeer($srv->port, 'stall-body');
echo "stalled body: {$r['resets']} after ", $r['secs'] >= 0.9 && $r['secs'] < 2.5 ? "read_timeout\n" : "{$r['secs']} s\n";

$r = h2srv_rawpeer($srv->port, 'stall-headers');
echo "stalled header block: {$r['resets']}, then goaway {$r['goaway']}", $r['secs'] < 4.0 ? "\n" : " late ({$r['secs']} s)\n";

echo 'file descriptors back to baseline: ',
    h2srv_eventually(fn() => h2srv_fd_count($srv->pid()) <= $fds0, 3) ? "yes\n" : 'no (' . h2srv_fd_count($srv->pid()) . " vs $fds0)\n";
$srv->stop();
echo $srv->stdout();
?>
--EXPECT--
zero window: status 200:1, body bytes 0, closed within write_timeout + 1 s
unread socket: closed within write_timeout + 1 s
memory held for the slow peers under 2 MiB: yes
stalled body: CANCEL:1 after read_timeout
stalled header block: CANCEL:1, then goaway NO_ERROR
file descriptors back to baseline: yes
run returned
handled 3
