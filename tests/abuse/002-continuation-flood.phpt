--TEST--
CONTINUATION flood (empty frames, or frames full of junk) closes the connection early with GOAWAY; no handler call, memory flat
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER);
h2srv_rawpeer($srv->port, 'continuation-flood', 'junk'); // warm-up: first-use allocations are not growth
$rss0 = h2srv_tree_rss_kb($srv->pid());
foreach (['empty', 'junk'] as $kind) {
    $r = h2srv_rawpeer($srv->port, 'continuation-flood', $kind);
    echo "$kind: goaway={$r['goaway']} early=", $r['secs'] < 1.0 ? 'yes' : "no ({$r['secs']})", "\n";
}
echo 'RSS growth under 2 MiB: ', h2srv_rss_within($srv->pid(), $rss0, 2048), "\n";
$srv->stop();
echo $srv->stdout();
?>
--EXPECT--
empty: goaway=PROTOCOL_ERROR early=yes
junk: goaway=COMPRESSION_ERROR early=yes
RSS growth under 2 MiB: yes
run returned
handled 0
