--TEST--
request dispatch: stats() and metrics() count every process (the reactor and each worker by role, promtool accepts the text); RSS and open fds of every process come back after load; a SIGKILL of the supervisor takes every process along and leaves no shared memory behind
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
        '/upload' => $res->end(md5($req->body())),
        '/unlinked' => (function () use ($res) {
            // The file is gone by name once sendFile() returns: the open file itself must cross.
            $f = tempnam(sys_get_temp_dir(), 'h2srv-unlinked');
            file_put_contents($f, str_repeat('u', 300000));
            $res->sendFile($f);
            unlink($f);
        })(),
        default => $res->end(str_repeat('x', (int)($req->query() ?: 3))),
    };
});
PHP, ['workers' => 2, 'dispatch' => 'request']);
$sup = $srv->pid();
h2srv_eventually(fn() => count(h2srv_children($sup)) === 3, 5);
$procs = h2srv_children($sup);
$load = function () use ($srv) {
    $a = h2srv_h2load(['-n', '20000', '-c', '50', '-m', '10', $srv->url('/?16384')]);
    file_put_contents($f = tempnam(sys_get_temp_dir(), 'h2srv-up'), random_bytes(3 << 20));
    $b = h2srv_h2load(['-n', '40', '-c', '4', '-d', $f, $srv->url('/upload')]);
    unlink($f);
    $c = h2srv_h2load(['-n', '400', '-c', '4', '-m', '8', $srv->url('/unlinked')]);
    return [$a, $b, $c];
};
$load(); // the first load sizes the pools and touches the shared pages it uses
usleep(500000);
$rss = array_map('h2srv_rss_kb', $procs);
$fds = array_map('h2srv_fd_count', $procs);
[$a, $b, $c] = $load();
echo "h2load 16 KiB: {$a['done']} done, {$a['failed']} failed; 3 MiB uploads: {$b['done']} done, {$b['failed']} failed\n";
echo "sendFile() of a file unlinked as soon as it is handed over: {$c['2xx']} of 400 answered 200\n";
echo 'and byte-exact: ', h2srv_curl($srv->url('/unlinked'))[1] === str_repeat('u', 300000) ? 'yes' : 'no', "\n";
usleep(500000);
echo 'RSS of every process within 4 MiB of before: ', implode(' ', array_map(fn($p, $r) => h2srv_rss_within($p, $r, 4096), $procs, $rss)), "\n";
echo 'open fds as before: ', array_map('h2srv_fd_count', $procs) === $fds ? 'yes' : json_encode([$fds, array_map('h2srv_fd_count', $procs)]), "\n";

$st = json_decode(h2srv_curl($srv->url('/stats'))[1], true);
$roles = array_count_values(array_column($st['processes'], 'role'));
ksort($roles);
echo 'processes: ', json_encode($roles), '; their pids are the children: ', array_diff(array_column($st['processes'], 'pid'), $procs) === [] ? 'yes' : 'no', "\n";
echo 'requests: every handler call counted: ', $st['requests'] === 2 * (20000 + 40 + 400) + 1 + 1 ? 'yes' : $st['requests'], "\n";
$conns = fn(string $role) => array_sum(array_map(fn($p) => $p['connections']['total'], array_filter($st['processes'], fn($p) => $p['role'] === $role)));
echo 'connections: the reactor accepted ', $conns('reactor') >= 2 * 58 ? 'every one' : $conns('reactor'), ', the workers none: ', $conns('worker') === 0 ? 'yes' : 'no', "\n";
$metrics = h2srv_curl($srv->url('/metrics'))[1];
[$rc, $out, $err] = h2srv_run(['promtool', 'check', 'metrics'], $metrics);
echo 'promtool check metrics: ', $rc === 0 ? 'ok' : "rc $rc: $out$err", '; series per role: ',
    preg_match('/^h2srv_requests_total\{worker="1"\} \d+$/m', $metrics) && preg_match('/^h2srv_connections_total\{reactor="0"\} [1-9]\d*$/m', $metrics) ? 'worker and reactor' : 'missing', "\n";

$shm = glob('/dev/shm/*');
h2srv_kill($sup, 9);
// Gone: exited (a zombie, here, when no init reaps the orphans) or reaped.
$alive = fn(int $p) => preg_match('/^State:\s+[^Z]/m', (string)@file_get_contents("/proc/$p/status")) === 1;
echo 'after a SIGKILL of the supervisor, every process gone: ', h2srv_eventually(fn() => array_filter($procs, $alive) === [], 5) ? 'yes' : 'no', "\n";
echo 'no shared memory left in /dev/shm: ', glob('/dev/shm/*') == $shm ? 'yes' : 'no', "\n";
?>
--EXPECT--
h2load 16 KiB: 20000 done, 0 failed; 3 MiB uploads: 40 done, 0 failed
sendFile() of a file unlinked as soon as it is handed over: 400 of 400 answered 200
and byte-exact: yes
RSS of every process within 4 MiB of before: yes yes yes
open fds as before: yes
processes: {"reactor":1,"worker":2}; their pids are the children: yes
requests: every handler call counted: yes
connections: the reactor accepted every one, the workers none: yes
promtool check metrics: ok; series per role: worker and reactor
after a SIGKILL of the supervisor, every process gone: yes
no shared memory left in /dev/shm: yes
