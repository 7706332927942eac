--TEST--
Idle WebSockets: 10,000 sockets held on 4 HTTP/2 connections (RFC 8441 streams) cost a few KiB each (measured and reported), all counted open by stats() and all gone, their onClose called, once the connections drop; a silent peer is pinged after websocket_idle_timeout, stays while it answers, and is reset once it stops (HTTP/2 and HTTP/1.1)
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$closed = 0;
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server, &$closed): void {
    if ($req->path() === '/stats') {
        $res->end(json_encode($server->stats()['websockets'] + ['closed' => $closed]));
        return;
    }
    $ws = $res->acceptWebSocket();
    $ws->onMessage(fn(string $d, bool $b) => $ws->send($d, $b));
    $ws->onClose(function () use (&$closed): void {
        $closed++;
    });
});
PHP, ['tls' => false, 'max_concurrent_streams' => 3000]);
$stats = fn() => json_decode(h2srv_run(['curl', '-s', '--http2-prior-knowledge', "http://127.0.0.1:{$srv->port}/stats"])[1], true);
h2srv_run(['curl', '-s', '--http2-prior-knowledge', "http://127.0.0.1:{$srv->port}/stats"]); // settle the baseline
$rss0 = h2srv_tree_rss_kb($srv->pid());
$p = proc_open(['/usr/bin/python3', __DIR__ . '/inc/ws_idle.py', (string)$srv->port, '4', '2500'],
    [0 => ['pipe', 'r'], 1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
echo trim((string)fgets($pipes[1])), "\n";
sleep(2); // quiet past H2SRV_WS_TRIM_MS: their buffers trimmed
$st = $stats();
$rss = h2srv_tree_rss_kb($srv->pid());
$per = ($rss - $rss0) * 1024 / 10000;
echo "stats: open {$st['open']}\n";
// (asserted by the normal run only: under `run.sh asan` the allocator's redzones and quarantine
// are most of it)
$asan = getenv('H2SRV_SERVER_PRELOAD') !== false;
echo 'memory per idle socket: ', $asan || $per < 8192 ? 'under 8 KiB' : "$per bytes", "\n";
fclose($pipes[0]); // the client drops its connections
stream_get_contents($pipes[2]);
proc_close($p);
h2srv_eventually(fn() => ($st = $stats())['open'] === 0 && $st['closed'] === 10000, 10);
$st = $stats();
echo "after the drop: open {$st['open']}, onClose called {$st['closed']} times\n";
$srv->stop();

$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $ws = $res->acceptWebSocket();
    $ws->onClose(function (int $code) { echo "closed $code\n"; });
});
PHP, ['tls' => false, 'websocket_idle_timeout' => 1]);
foreach (['h2', 'h1'] as $proto) {
    $t = microtime(true);
    [, $out] = h2srv_py('wspeer.py', [$proto, 'plain', (string)$srv->port, '/quiet', 'silent', '3']);
    echo "$proto: ", implode(' / ', array_slice(explode("\n", trim($out)), -2)), sprintf(", after %s\n", microtime(true) - $t > 3 ? 'more than 3 s' : 'too soon');
}
$srv->stop();
echo $srv->stdout();
?>
--EXPECTF--
open 10000
stats: open 10000
memory per idle socket: under 8 KiB
after the drop: open 0, onClose called 10000 times
h2: silent: pinged 3 / silent: ended yes reset %d, after more than 3 s
h1: silent: pinged 3 / silent: ended yes reset None, after more than 3 s
closed 1006
closed 1006
%A
