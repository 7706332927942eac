--TEST--
Server-provoked resets ("MadeYouReset": requests made invalid by a stream WINDOW_UPDATE overflow) count like client resets: GOAWAY(ENHANCE_YOUR_CALM), no handler call
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER);
$r = h2srv_rawpeer($srv->port, 'made-you-reset', '5000');
echo "goaway: {$r['goaway']}\nwithin 1 s: ", $r['secs'] < 1.0 ? "yes\n" : "no ({$r['secs']})\n";
// Never more streams processed than the budget allows, and never past max_concurrent_streams open.
echo 'last stream id bounded: ', $r['last'] < 2 * 1000 ? "yes\n" : "no ({$r['last']})\n";
$srv->stop();
echo $srv->stdout();
?>
--EXPECT--
goaway: ENHANCE_YOUR_CALM
within 1 s: yes
last stream id bounded: yes
run returned
handled 0
