--TEST--
Rapid reset: 10,000 HEADERS+RST_STREAM pairs in one burst get GOAWAY(ENHANCE_YOUR_CALM) within 1 s; few handler calls, other connections unaffected, memory flat
--SKIPIF--
<?php $needs = ['python3-h2', 'curl']; require __DIR__ . '/../inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER);
h2srv_curl($srv->url('/warm'));
$rss0 = h2srv_tree_rss_kb($srv->pid());
$attack = proc_open(['/usr/bin/python3', dirname(__DIR__) . '/inc/rawpeer.py', (string)$srv->port, 'rapid-reset', '10000'],
    [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
// Another client, during the attack: its request is answered as usual.
[$rc, $t] = h2srv_curl($srv->url('/during'), ['-o', '/dev/null', '-w', '%{http_code} %{time_total}']);
[$code, $secs] = explode(' ', $t);
echo "other connection: $code, ", $secs < 1.0 ? "fast\n" : "slow ($secs s)\n";
$out = stream_get_contents($pipes[1]) . stream_get_contents($pipes[2]);
proc_close($attack);
preg_match('/goaway=(\S+) .* secs=(\S+) other=(\S+)/', $out, $m) or print($out);
echo "goaway: $m[1]\n";
echo 'within 1 s: ', $m[2] < 1.0 ? "yes\n" : "no ($m[2])\n";
echo "a new connection afterwards: $m[3]\n";
echo 'RSS growth under 2 MiB: ', h2srv_rss_within($srv->pid(), $rss0, 2048), "\n";
$srv->stop();
preg_match('/handled (\d+)/', $srv->stdout(), $h);
// warm-up, the concurrent curl, the request after the attack, and at most a handful from the burst
echo 'handler calls at most max_concurrent_streams: ', $h[1] <= 128 ? "yes\n" : "no ($h[1])\n";
?>
--EXPECT--
other connection: 200, fast
goaway: ENHANCE_YOUR_CALM
within 1 s: yes
a new connection afterwards: 200
RSS growth under 2 MiB: yes
handler calls at most max_concurrent_streams: yes
