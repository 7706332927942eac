--TEST--
request dispatch: the streams of one connection run on whichever workers are free (four 500 ms requests together in under 1 s, a fast one behind a slow one in under 200 ms); a handler that blocks stalls nothing else (a PING answered within 100 ms, a deferred response frees its worker); connection dispatch, for contrast, answers the PING only after the handler
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$code = <<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server): void {
    $p = $req->path();
    if (str_starts_with($p, '/sleep/')) {
        usleep((int)substr($p, 7) * 1000); // a blocking handler: a database call, an HTTP call
    } elseif ($p === '/defer') {
        $server->after(300, fn() => $res->end('deferred by ' . getmypid()));
        return;
    } elseif ($p === '/stats') {
        $res->end(json_encode($server->stats()['processes']));
        return;
    }
    $res->end((string)getmypid());
});
PHP;
$streams = fn(int $port, array $args) => json_decode(h2srv_py('streams.py', [(string)$port, ...$args])[1], true);
$ms = fn(array $r, string $path) => array_values(array_filter($r['streams'], fn($s) => $s['path'] === $path))[0]['ms'] ?? null;

$srv = new TestServer($code, ['workers' => 4, 'dispatch' => 'request']);
$r = $streams($srv->port, ['/sleep/500?a', '/sleep/500?b', '/sleep/500?c', '/sleep/500?d']);
$last = max(array_column($r['streams'], 'ms'));
$pids = array_unique(array_column($r['streams'], 'body'));
echo 'four 500 ms requests on one connection: ', $last < 1000 ? 'done in under 1 s' : "took $last ms",
    ', on ', count($pids), ' workers, statuses ', implode(' ', array_column($r['streams'], 'status')), "\n";
$r = $streams($srv->port, ['/sleep/1000', '/fast']);
echo 'a fast request behind a 1 s one: ', $ms($r, '/fast') < 200 ? 'under 200 ms' : $ms($r, '/fast') . ' ms',
    ', the slow one ', $ms($r, '/sleep/1000') >= 1000 ? 'after 1 s' : 'early?', "\n";
$srv->stop();

// Two reactors share the connections; every worker serves both reactors' requests.
$srv = new TestServer($code, ['workers' => 3, 'reactors' => 2, 'dispatch' => 'request']);
$r = h2srv_h2load(['-n', '6000', '-c', '24', '-m', '4', $srv->url('/')]);
$procs = json_decode(h2srv_curl($srv->url('/stats'))[1], true);
$conns = array_map(fn($p) => $p['connections']['total'], array_filter($procs, fn($p) => $p['role'] === 'reactor'));
$served = array_map(fn($p) => $p['requests'], array_filter($procs, fn($p) => $p['role'] === 'worker'));
echo "two reactors, three workers: h2load {$r['done']} done, {$r['failed']} failed; connections on ", count(array_filter($conns)),
    ' reactors (', array_sum($conns) >= 25 ? "h2load's 24 and ours" : array_sum($conns), '); requests served by ', count(array_filter($served)), " workers\n";
$srv->stop();

// One worker: what it blocks on is its own handler, never the connection.
foreach (['request', 'connection'] as $mode) {
    $srv = new TestServer($code, ['workers' => 1, 'dispatch' => $mode]);
    $r = $streams($srv->port, ['--ping-at', '300', '/sleep/2000']);
    echo "$mode dispatch, one worker blocked 2 s: PING answered ",
        $r['ping_ms'] === null ? 'never' : ($r['ping_ms'] < 100 ? 'within 100 ms' : ($r['ping_ms'] >= 1500 ? 'after the handler' : "in {$r['ping_ms']} ms")),
        ', the request ', $r['streams'][0]['status'] ?? 'no status', "\n";
    if ($mode === 'request') {
        $r = $streams($srv->port, ['/defer', '/fast']);
        echo "$mode dispatch, one worker: a fast request beside a deferred one: ",
            $ms($r, '/fast') < 200 && $ms($r, '/defer') >= 300 ? 'answered first, under 200 ms' : json_encode($r['streams']),
            '; the deferred one: ', str_starts_with($r['streams'][0]['body'], 'deferred by ') ? 'ended by its timer' : $r['streams'][0]['body'], "\n";
    }
    $srv->stop();
}
?>
--EXPECT--
four 500 ms requests on one connection: done in under 1 s, on 4 workers, statuses 200 200 200 200
a fast request behind a 1 s one: under 200 ms, the slow one after 1 s
two reactors, three workers: h2load 6000 done, 0 failed; connections on 2 reactors (h2load's 24 and ours); requests served by 3 workers
request dispatch, one worker blocked 2 s: PING answered within 100 ms, the request 200
request dispatch, one worker: a fast request beside a deferred one: answered first, under 200 ms; the deferred one: ended by its timer
connection dispatch, one worker blocked 2 s: PING answered after the handler, the request 200
