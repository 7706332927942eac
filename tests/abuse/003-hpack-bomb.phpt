--TEST--
HPACK bomb: a 4 KB table entry referenced 20,000 times is refused with 431 once past max_header_list_size; the connection stays usable
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER);
h2srv_rawpeer($srv->port, 'hpack-bomb', '100'); // warm-up: first-use allocations are not growth
$rss0 = h2srv_tree_rss_kb($srv->pid());
$r = h2srv_rawpeer($srv->port, 'hpack-bomb', '20000');
echo "seed request: {$r['seed']}\nbomb: {$r['bomb']}\nnext request on the same connection: {$r['after']}\ngoaway: {$r['goaway']}\n";
echo 'RSS growth under 2 MiB: ', h2srv_rss_within($srv->pid(), $rss0, 2048), "\n";
$srv->stop();
echo $srv->stdout();
?>
--EXPECT--
seed request: 200
bomb: 431
next request on the same connection: 200
goaway: none
RSS growth under 2 MiB: yes
run returned
handled 4
