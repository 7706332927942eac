--TEST--
WebSocket floods: a peer that sends pings without reading its pongs is no longer read past the output's high-water mark (HTTP/2: its stream is no longer credited; HTTP/1.1: its socket is no longer read), with the server's memory bounded, and its pongs flow again once it reads; messages to a socket whose PHP sets no onMessage yet are no longer taken past the inbox's high-water mark, in every process (request dispatch: the worker's copy of the socket too), and all of them reach PHP once it listens; tiny fragments building a message past websocket_max_message end in 1009
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/../inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server): void {
    $ws = $res->acceptWebSocket();
    if ($req->path() === '/unheard') {
        // takes no message until the test says so (a file), then counts them
        $timer = $server->every(50, function () use ($ws, $server, &$timer): void {
            if (!file_exists(__DIR__ . '/go')) {
                return;
            }
            $server->cancel($timer);
            $n = $bytes = 0;
            $ws->onMessage(function (string $d, bool $binary) use ($ws, &$n, &$bytes): void {
                if ($binary) {
                    $n++;
                    $bytes += strlen($d);
                } else {
                    $ws->send("$n messages, $bytes bytes");
                }
            });
        });
        return;
    }
    $ws->onMessage(fn(string $d, bool $b) => $ws->send($d, $b));
});
PHP, ['tls' => false, 'websocket_max_message' => 65536]);
h2srv_py('wspeer.py', ['h1', 'plain', (string)$srv->port, '/warm', 'echo', '10']);
$rss0 = h2srv_tree_rss_kb($srv->pid());
foreach (['h2', 'h1'] as $proto) {
    // 100,000 pings of 125 bytes would queue 12.7 MB of pongs
    $p = proc_open(['/usr/bin/python3', __DIR__ . '/../inc/wspeer.py', $proto, 'plain', (string)$srv->port, '/flood', 'ping-flood', '100000'],
        [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $lines = [];
    while (($l = fgets($pipes[1])) !== false) {
        $lines[] = trim($l);
        if (str_contains($l, 'stopped taking')) {
            usleep(500000);
            $lines[] = "memory held for the flood under 8 MiB: " . h2srv_rss_within($srv->pid(), $rss0, 8192);
        }
    }
    proc_close($p);
    echo "$proto: ", implode("\n$proto: ", array_slice($lines, 2)), "\n";
}
// 400 messages of 64 KiB (25.6 MiB) to a socket that takes none until the file "go" appears
foreach (['h2', 'h1'] as $proto) {
    @unlink("$srv->dir/go");
    $rss0 = h2srv_tree_rss_kb($srv->pid());
    $p = proc_open(['/usr/bin/python3', __DIR__ . '/../inc/wspeer.py', $proto, 'plain', (string)$srv->port, '/unheard', 'unheard-flood', '400'],
        [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    $lines = [];
    while (($l = fgets($pipes[1])) !== false) {
        $lines[] = trim($l);
        if (str_contains($l, 'stopped taking')) {
            usleep(500000);
            $lines[] = 'memory held for them, all processes, under 8 MiB: ' . h2srv_rss_within($srv->pid(), $rss0, 8192);
            touch("$srv->dir/go");
        }
    }
    proc_close($p);
    echo "$proto: ", implode("\n$proto: ", array_slice($lines, 2)), "\n";
}
// 2000 one-byte continuation frames are fine; 70,000 go past the 64 KiB limit
[, $out] = h2srv_py('wspeer.py', ['h2', 'plain', (string)$srv->port, '/x', 'tiny-fragments', '70000']);
echo implode("\n", array_slice(explode("\n", trim($out)), 2)), "\n";
$srv->stop();
?>
--EXPECT--
h2: ping-flood: the server stopped taking pings before all 100000: yes
h2: memory held for the flood under 8 MiB: yes
h2: ping-flood: pongs flow once read: yes
h1: ping-flood: the server stopped taking pings before all 100000: yes
h1: memory held for the flood under 8 MiB: yes
h1: ping-flood: pongs flow once read: yes
h2: unheard-flood: the server stopped taking messages before all 400: yes
h2: memory held for them, all processes, under 8 MiB: yes
h2: unheard-flood: PHP got 400 messages, 26214400 bytes
h1: unheard-flood: the server stopped taking messages before all 400: yes
h1: memory held for them, all processes, under 8 MiB: yes
h1: unheard-flood: PHP got 400 messages, 26214400 bytes
tiny-fragments: close 1009 message too big
tiny-fragments: ended yes
