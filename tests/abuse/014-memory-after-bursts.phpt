--TEST--
Memory comes back after bursts, once the connections have stayed gone for a quiet spell (4 s; a burst that comes back sooner reuses it): once 250 slowloris connections are closed by their timers, RSS is within 2 MiB of its baseline; once 1,000 TLS connections that each made one request are gone, within 8 MiB, and a second such burst adds little; memory is given back once per burst, not at once and not per tick
--SKIPIF--
<?php $needs = ['python3-h2', 'curl', 'h2load']; require __DIR__ . '/../inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
// handshake_timeout leaves 1,000 handshakes that arrive at once time to queue on a slow
// (sanitizer) build: the burst is not a slowloris, only the slowloris peers must be cut off.
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server): void {
    $res->end($req->path() === '/stats' ? (string)$server->stats()['memory_trims'] : "ok\n");
});
PHP, ['handshake_timeout' => 5, 'read_timeout' => 1, 'idle_timeout' => 1]);
$pid = $srv->pid();
for ($i = 0; $i < 20; $i++) {
    h2srv_curl($srv->url('/'));
}
usleep(600000);
$rss0 = h2srv_tree_rss_kb($pid);
$trims = fn() => (int)h2srv_curl($srv->url('/stats'))[1];

// After a burst has gone (when $before was read), memory is given back once the quiet spell
// is over (4 s from when the count fell to half, a little before the burst's end: so not within
// 2 s), once, and not again while nothing changes.
$given_back = function (int $before) use ($trims): string {
    $t0 = microtime(true);
    $came = h2srv_eventually(fn() => $trims() > $before, 7);
    $after = microtime(true) - $t0;
    usleep(1000000);
    $n = $trims() - $before;
    return $came && $after >= 2 && $n === 1 ? 'once, after the quiet spell'
        : sprintf('no (%s after %.1f s, %d times)', $came ? 'given back' : 'not given back', $after, $n);
};

$r = h2srv_rawpeer($srv->port, 'slowloris', '250');
echo "slowloris closed by the server: {$r['closed']} of {$r['of']}\n";
echo 'memory given back: ', $given_back($trims()), "\n";
echo 'after 250 slowloris connections, within 2 MiB: ', h2srv_rss_within($pid, $rss0, 2048), "\n";

foreach (['first', 'second'] as $burst) {
    [$rc, $out] = h2srv_run(['sh', '-c', 'ulimit -n 4096 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec h2load -c 1000 -n 1000 '
        . escapeshellarg($srv->url('/'))], null, 60);
    preg_match('/(\d+) succeeded, (\d+) failed/', $out, $m);
    echo "$burst burst of 1000 connections: ", ($m[1] ?? '?'), " succeeded, ", ($m[2] ?? '?'), " failed\n";
    echo 'memory given back: ', $given_back($trims()), "\n";
    h2srv_eventually(fn() => h2srv_tree_fd_count($pid) < 60, 3);
    echo "after the $burst burst, within 8 MiB: ", h2srv_rss_within($pid, $rss0, 8192), "\n";
}
?>
--EXPECT--
slowloris closed by the server: 250 of 250
memory given back: once, after the quiet spell
after 250 slowloris connections, within 2 MiB: yes
first burst of 1000 connections: 1000 succeeded, 0 failed
memory given back: once, after the quiet spell
after the first burst, within 8 MiB: yes
second burst of 1000 connections: 1000 succeeded, 0 failed
memory given back: once, after the quiet spell
after the second burst, within 8 MiB: yes
