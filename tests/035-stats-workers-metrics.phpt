--TEST--
Counters of all processes: with 2 workers, stats() from either adds up every worker (from shared memory) and lists each live one; metrics() gives the same counters in the Prometheus text format (promtool accepts it); a killed worker's counts stay in the totals and its open connections leave the gauge; a reload keeps every counter growing
--SKIPIF--
<?php $needs = ['curl', 'h2load', 'promtool']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server): void {
    match ($req->path()) {
        '/stats' => $res->end(json_encode($server->stats())),
        '/metrics' => $res->header('content-type', 'text/plain; version=0.0.4')->end($server->metrics()),
        default => $res->end('ok'),
    };
});
PHP, ['workers' => 2, 'dispatch' => 'connection']);
$sup = $srv->pid();
h2srv_eventually(fn() => count(h2srv_children($sup)) === 2, 3);
$stats = fn() => json_decode(h2srv_curl($srv->url('/stats'))[1], true);

$r = h2srv_h2load(['-n', '400', '-c', '8', $srv->url('/')]);
echo "h2load: {$r['succeeded']} succeeded\n";
$st = $stats();
// 400 from h2load and this /stats; the harness's readiness probe made no request.
echo "requests in the totals: {$st['requests']}\n";
$procs = $st['processes'];
usort($procs, fn($a, $b) => $a['worker'] <=> $b['worker']);
echo 'processes: ', implode(', ', array_map(fn($p) => "worker {$p['worker']}", $procs)), '; pids are the workers: ',
    array_column($procs, 'pid') == array_values(array_intersect(array_column($procs, 'pid'), h2srv_children($sup))) ? 'yes' : 'no', "\n";
echo 'each worker served some, and they add up: ',
    min(array_column($procs, 'requests')) > 0 && array_sum(array_column($procs, 'requests')) === $st['requests'] ? 'yes' : 'no', "\n";

[$rc, $metrics] = h2srv_curl($srv->url('/metrics'));
[$rc, $out, $err] = h2srv_run(['promtool', 'check', 'metrics'], $metrics);
echo 'promtool check metrics: ', $rc === 0 ? 'ok' : "rc $rc: $out$err", "\n";
preg_match_all('/^h2srv_requests_total\{worker="(\d)"\} (\d+)$/m', $metrics, $m, PREG_SET_ORDER);
echo 'h2srv_requests_total series: ', count($m), ', adding up to the totals (this request too): ',
    array_sum(array_column($m, 2)) === $st['requests'] + 1 ? 'yes' : 'no', "\n";

// A worker killed while it holds an idle connection: its counts stay, its connection goes.
$held = proc_open(['/usr/bin/python3', __DIR__ . '/inc/held_connections.py', (string)$srv->port, '2', '/'], [1 => ['pipe', 'w']], $p);
stream_get_contents($p[1]);
proc_close($held);
$before = $stats();
$victim = h2srv_children($sup)[0];
h2srv_kill($victim, 9);
h2srv_eventually(function () use ($stats, $victim, &$after): bool {
    $after = $stats();
    return count($after['processes']) === 2 && !in_array($victim, array_column($after['processes'], 'pid'));
}, 5);
echo 'after a SIGKILL: requests ', $after['requests'] > $before['requests'] ? 'still counted' : "lost ({$before['requests']} -> {$after['requests']})",
    ', connections open ', $after['connections']['open'], ', processes ', count($after['processes']), "\n";

h2srv_kill($sup, 1); // SIGHUP: both workers replaced
h2srv_eventually(fn() => count(array_diff(h2srv_children($sup), array_column($after['processes'], 'pid'))) === 2
    && count(h2srv_children($sup)) === 2, 10);
usleep(300000);
$reloaded = $stats();
echo 'after a reload: requests ', $reloaded['requests'] > $after['requests'] ? 'still counted' : 'lost',
    ', connections total ', $reloaded['connections']['total'] >= $after['connections']['total'] ? 'still counted' : 'lost', "\n";
?>
--EXPECT--
h2load: 400 succeeded
requests in the totals: 401
processes: worker 0, worker 1; pids are the workers: yes
each worker served some, and they add up: yes
promtool check metrics: ok
h2srv_requests_total series: 2, adding up to the totals (this request too): yes
after a SIGKILL: requests still counted, connections open 1, processes 2
after a reload: requests still counted, connections total still counted
