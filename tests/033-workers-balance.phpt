--TEST--
workers share the connections: N slow requests on N connections started together, with N workers, always run side by side (20 trials of 20, for N = 2 and 4), also when each connection is held open before its request goes out
--SKIPIF--
<?php $needs = ['curl', 'python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
const SLOW_MS = 300;
foreach ([2, 4] as $n) {
    $srv = new TestServer(<<<'PHP'
function warm_up(int $worker): void { $GLOBALS['worker'] = $worker; }
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    usleep(300000);
    $res->end((string)$GLOBALS['worker']);
});
PHP, ['workers' => $n, 'dispatch' => 'connection', 'bootstrap' => 'warm_up']);
    h2srv_eventually(fn() => count(h2srv_children($srv->pid())) === $n, 3);
    $overlapped = 0;
    $slowest = 0.0;
    for ($trial = 0; $trial < 20; $trial++) {
        $t = microtime(true);
        $procs = [];
        for ($i = 0; $i < $n; $i++) {
            $procs[] = proc_open(['curl', '-sk', '--http2', $srv->url("/slow?$i")], [1 => ['pipe', 'w']], $p);
            $pipes[$i] = $p[1];
        }
        $workers = [];
        foreach ($procs as $i => $proc) {
            $workers[] = stream_get_contents($pipes[$i]);
            proc_close($proc);
        }
        $took = microtime(true) - $t;
        $slowest = max($slowest, $took);
        // Side by side: every worker took one, and the whole took well under two handler runs.
        if (count(array_unique($workers)) === $n && $took < 2 * SLOW_MS / 1000 - 0.05) {
            $overlapped++;
        } else {
            echo "trial $trial: workers ", implode(',', $workers), sprintf(', %.2f s', $took), "\n";
        }
    }
    echo "$n workers: $overlapped of 20 trials overlapped\n";
    // The same with the connections opened first and held idle: the requests come later.
    $overlapped = 0;
    for ($trial = 0; $trial < 20; $trial++) {
        [$rc, $out] = h2srv_py('held_connections.py', [(string)$srv->port, (string)$n, '/slow']);
        $f = explode(' ', trim($out));
        $took = (float)array_pop($f);
        if (count(array_unique($f)) === $n && $took < 2 * SLOW_MS / 1000 - 0.05) {
            $overlapped++;
        } else {
            echo "held, trial $trial: $out";
        }
    }
    echo "$n workers, connections held open first: $overlapped of 20 trials overlapped\n";
    $srv->stop();
}
?>
--EXPECT--
2 workers: 20 of 20 trials overlapped
2 workers, connections held open first: 20 of 20 trials overlapped
4 workers: 20 of 20 trials overlapped
4 workers, connections held open first: 20 of 20 trials overlapped
