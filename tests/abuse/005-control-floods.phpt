--TEST--
Control-frame floods and junk frames (PING read or unread, SETTINGS, a huge SETTINGS frame, empty DATA, PRIORITY, unknown types) end in GOAWAY(ENHANCE_YOUR_CALM) within 1 s
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/../inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER);
h2srv_rawpeer($srv->port, 'ping-flood-unread', '100000'); // warm-up: first-use allocations are not growth
h2srv_curl($srv->url('/warm'));
$rss0 = h2srv_tree_rss_kb($srv->pid());
$cases = [
    'PING flood, acks read' => ['ping-flood-read', '100000'],
    'PING flood, acks unread' => ['ping-flood-unread', '100000'],
    'SETTINGS flood' => ['junk', 'settings', '100000'],
    'SETTINGS with 100 entries' => ['huge-settings', '100'],
    'empty DATA frames' => ['junk', 'data', '100000'],
    'PRIORITY frames' => ['junk', 'priority', '100000'],
    'unknown frame types' => ['junk', 'unknown', '100000'],
];
foreach ($cases as $name => $args) {
    $r = h2srv_rawpeer($srv->port, ...$args);
    echo "$name: {$r['goaway']}", $r['secs'] < 1.0 ? '' : " (after {$r['secs']} s)", "\n";
}
echo 'RSS growth under 2 MiB: ', h2srv_rss_within($srv->pid(), $rss0, 2048), "\n";
[$rc, $out] = h2srv_curl($srv->url('/after'));
echo "a normal request afterwards: $out\n";
?>
--EXPECT--
PING flood, acks read: ENHANCE_YOUR_CALM
PING flood, acks unread: ENHANCE_YOUR_CALM
SETTINGS flood: ENHANCE_YOUR_CALM
SETTINGS with 100 entries: ENHANCE_YOUR_CALM
empty DATA frames: ENHANCE_YOUR_CALM
PRIORITY frames: ENHANCE_YOUR_CALM
unknown frame types: ENHANCE_YOUR_CALM
RSS growth under 2 MiB: yes
a normal request afterwards: ok
