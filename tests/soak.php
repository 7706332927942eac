<?php
/*
 * Soak: legitimate h2load traffic and the abuse scenarios of tests/abuse/ against one server
 * at the same time, for SECONDS (default 300). Passes when no legitimate request failed, the
 * server's RSS ended within 5 MiB of where it started and its file descriptors came back.
 * Run by `./run.sh soak [SECONDS]`.
 */
require __DIR__ . '/inc/harness.inc';

$secs = (int)($argv[1] ?? 300);
$srv = new TestServer(H2SRV_COUNTING_HANDLER, ['handshake_timeout' => 2, 'read_timeout' => 2,
    'idle_timeout' => 2, 'write_timeout' => 2]);
$pid = $srv->pid();
// The server's processes: itself, and under request dispatch its reactor and worker.
$rss = fn() => array_sum(array_map('h2srv_rss_kb', [$pid, ...h2srv_children($pid)]));
$fds = fn() => array_sum(array_map('h2srv_fd_count', [$pid, ...h2srv_children($pid)]));

// Warm up every path once, so that first-use allocations do not count as growth.
h2srv_h2load(['-n', '20000', '-c', '10', '-m', '10', $srv->url('/warm')]);
$attacks = [
    ['rapid-reset', '10000'], ['continuation-flood', 'junk'], ['hpack-bomb', '20000'],
    ['made-you-reset', '5000'], ['ping-flood-unread', '100000'], ['junk', 'unknown', '100000'],
    ['zero-window', '/big'], ['stall-body'], ['slowloris', '60'],
];
foreach ($attacks as $a) {
    h2srv_rawpeer($srv->port, ...$a);
}
sleep(3);
$rss0 = $rss();
$fds0 = $fds();
printf("soak: %d s; server RSS %d KiB, %d fds at the start\n", $secs, $rss0, $fds0);

$load = proc_open(['h2load', '-D', (string)$secs, '-c', '20', '-m', '10', '-t', '1', $srv->url('/legit')],
    [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
$rounds = 0;
$deadline = microtime(true) + $secs;
while (microtime(true) < $deadline - 5) {
    foreach ($attacks as $a) {
        h2srv_rawpeer($srv->port, ...$a);
    }
    $rounds++;
    if ($rounds % 5 === 0) {
        printf("  after %d rounds: RSS %d KiB, %d fds\n", $rounds, $rss(), $fds());
    }
}
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
proc_close($load);
sleep(4); // timeouts and lingering closes of the last attacks

preg_match('/requests: (\d+) total, (\d+) started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/', $out, $m);
$rss1 = $rss();
$fds1 = $fds();
$ok = $m && $m[5] === '0' && $m[6] === '0' && $m[3] > 0 && $rss1 - $rss0 < 5 * 1024 && $fds1 <= $fds0;
printf("soak: %d attack rounds; h2load %s done, %s failed, %s errored; RSS %d -> %d KiB (%+d); fds %d -> %d: %s\n",
    $rounds, $m[3] ?? '?', $m[5] ?? '?', $m[6] ?? '?', $rss0, $rss1, $rss1 - $rss0, $fds0, $fds1, $ok ? 'PASS' : 'FAIL');
if (!$m) {
    echo $out;
}
exit($ok ? 0 : 1);
