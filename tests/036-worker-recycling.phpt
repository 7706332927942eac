--TEST--
max_requests and max_worker_memory: a worker past either limit is replaced between requests (its successor started first, the old one drained gracefully); every request is answered; both options need workers
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$code = <<<'PHP'
$GLOBALS['leak'] = [];
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    if ($req->path() === '/leak') {
        $GLOBALS['leak'][] = str_repeat('x', 8 << 20); // application code that leaks 8 MiB a request
    }
    $res->end((string)getmypid());
});
PHP;

function serve_sequentially(TestServer $srv, string $path, int $n): array
{
    $pids = [];
    $failed = 0;
    for ($i = 0; $i < $n; $i++) {
        [$rc, $out] = h2srv_curl($srv->url($path));
        $rc === 0 && preg_match('/^\d+$/', $out) ? $pids[] = (int)$out : $failed++;
    }
    return [$pids, $failed];
}

$srv = new TestServer($code, ['workers' => 2, 'max_requests' => 5]);
[$pids, $failed] = serve_sequentially($srv, '/', 40);
$per = array_count_values($pids);
echo "max_requests 5: 40 requests, $failed failed; ", count($per) >= 6 ? 'at least 6 workers took turns' : count($per) . ' workers',
    '; the most one served: ', max($per) <= 6 ? 'at most 6' : max($per), "\n";
$srv->stop();
echo 'logged: ', substr_count($srv->stderr(), 'requests (max_requests); asking to be replaced') >= 5 ? 'yes' : 'no', "\n";

// The limit is resident memory: 40 MiB above what a worker holds once it has served (which
// differs between builds, and much under ASan).
$probe = new TestServer($code, ['workers' => 2]);
$rss = h2srv_rss_kb((int)h2srv_curl($probe->url('/'))[1]) << 10;
$probe->stop();
$limit = $rss + (40 << 20);
$srv = new TestServer($code, ['workers' => 2, 'max_worker_memory' => $limit]);
[$pids, $failed] = serve_sequentially($srv, '/leak', 30);
$per = array_count_values($pids);
// Resident size is read every 250 ms, so a worker may serve a few more before it goes.
echo "max_worker_memory: a worker's size + 40 MiB, 8 MiB leaked a request: 30 requests, $failed failed; ",
    count($per) >= 3 ? 'at least 3 workers took turns' : count($per) . ' workers', "\n";
$srv->stop();
echo 'logged: ', str_contains($srv->stderr(), "(max_worker_memory $limit); asking to be replaced") ? 'yes' : 'no', "\n";

foreach (['max_requests' => 100, 'max_worker_memory' => 1 << 30] as $opt => $v) {
    try {
        new H2srv\Server(['listen' => '127.0.0.1:0', 'tls' => false, 'dispatch' => 'connection', $opt => $v]);
        echo "$opt without workers: accepted\n";
    } catch (H2srv\Exception $e) {
        echo $e->getMessage(), "\n";
    }
}
?>
--EXPECT--
max_requests 5: 40 requests, 0 failed; at least 6 workers took turns; the most one served: at most 6
logged: yes
max_worker_memory: a worker's size + 40 MiB, 8 MiB leaked a request: 30 requests, 0 failed; at least 3 workers took turns
logged: yes
option "max_requests" needs "workers" of 2 or more: a worker is replaced by the supervisor, and a single process has none
option "max_worker_memory" needs "workers" of 2 or more: a worker is replaced by the supervisor, and a single process has none
