--TEST--
request dispatch: a reactor killed under load (SIGKILL, twice) is started again and serves every request after it; its connections are lost, the workers carry on, and the requests it left queued or taken are given back to the new reactor
--SKIPIF--
<?php $needs = ['h2load']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server): void {
    if ($req->path() === '/reactor') {
        $r = array_filter($server->stats()['processes'], fn($p) => $p['role'] === 'reactor');
        $res->end((string)array_values($r)[0]['pid']);
        return;
    }
    usleep(500); // slower than the requests come: the queue is full when the reactor dies
    $res->end(str_repeat('x', 2000));
});
PHP, ['workers' => 2, 'dispatch' => 'request']);
$sup = $srv->pid();
h2srv_eventually(fn() => count(h2srv_children($sup)) === 3, 5); // 2 workers and a reactor
$workers = array_values(array_diff(h2srv_children($sup), [(int)h2srv_curl($srv->url('/reactor'))[1]]));

$came_back = 0;
for ($round = 1; $round <= 2; $round++) {
    $reactor = (int)h2srv_curl($srv->url('/reactor'), ['-m', '5'])[1];
    if ($reactor <= 0) {
        echo "round $round: no reactor answered\n";
        break;
    }
    // 400 requests in flight on 20 connections while the reactor dies: slots queued, taken by
    // workers, and answers on their way back.
    $load = proc_open(['h2load', '-D', '3', '-c', '20', '-m', '20', $srv->url('/')],
        [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    usleep(800000);
    h2srv_kill($reactor, 9);
    stream_get_contents($pipes[1]);
    proc_close($load);
    if (h2srv_eventually(function () use ($srv, $reactor) {
        $now = (int)h2srv_curl($srv->url('/reactor'), ['-m', '2'])[1];
        return $now > 0 && $now !== $reactor;
    }, 10)) {
        $came_back++;
    }
}
echo "a new reactor answered after each SIGKILL: ", $came_back === 2 ? 'yes' : "$came_back of 2", "\n";
// More requests than the reactor queues ahead (256), once it has been given back the slots its
// predecessor left queued.
$r = h2srv_h2load(['-n', '3000', '-c', '4', '-m', '100', $srv->url('/')]);
echo 'then h2load: ', $r['done'] ?? 0, ' done, ', $r['succeeded'] ?? 0, ' succeeded, ', $r['failed'] ?? '?', ' failed', "\n";
echo 'the workers are the ones they were: ', count($workers) === 2 && !array_diff($workers, h2srv_children($sup)) ? 'yes' : 'no', "\n";
echo 'exit code: ', $srv->stop(), "\n";
echo 'logged: ', preg_match_all('/reactor 0 \(pid \d+\) was killed by signal 9; restarting it/', $srv->stderr()), " reactor restarts\n";
?>
--EXPECT--
a new reactor answered after each SIGKILL: yes
then h2load: 3000 done, 3000 succeeded, 0 failed
the workers are the ones they were: yes
exit code: 0
logged: 2 reactor restarts
