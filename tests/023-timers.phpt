--TEST--
Timers: a response deferred 50 ms with after() arrives after 50 ms; every() repeats until cancel(); a throwing callback is logged and the server goes on; bad intervals throw
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$ticks = 0;
$tick = $server->every(20, function () use (&$ticks) { $ticks++; });
$server->after(10, function () { throw new RuntimeException('timer boom'); });
$server->every(1000, fn() => null); // never cancelled: must not keep run() from returning on stop
$server->handle(function ($req, $res) use ($server, &$ticks, $tick) {
    switch ($req->path()) {
    case '/deferred':
        $t0 = hrtime(true);
        $server->after(50, function () use ($res, $t0) {
            $res->end(sprintf('%d', (hrtime(true) - $t0) / 1e6));
        });
        return;
    case '/ticks':
        $res->end("$ticks");
        return;
    case '/cancel':
        $res->end(json_encode([$server->cancel($tick), $server->cancel($tick), $server->cancel(12345)]));
        return;
    case '/bad':
        foreach ([[-1, 'after'], [0, 'every'], [PHP_INT_MAX, 'after']] as [$ms, $m]) {
            try { $server->$m($ms, fn() => null); echo "no exception\n"; } catch (H2srv\Exception $e) { echo $e->getMessage(), "\n"; }
        }
        $res->end('ok');
    }
});
PHP);
$t = microtime(true);
[$rc, $body] = h2srv_curl($srv->url('/deferred'));
$wall = (microtime(true) - $t) * 1000;
echo "deferred: rc=$rc, the timer saw ", $body >= 50 && $body < 500 ? '50 ms or a little more' : "$body ms", ', the client waited ', $wall >= 50 ? "at least 50 ms\n" : "$wall ms\n";
usleep(300000);
[, $a] = h2srv_curl($srv->url('/ticks'));
echo 'every(20) after ~0.3 s: ', $a >= 5 ? "ticking\n" : "$a ticks\n";
[, $c] = h2srv_curl($srv->url('/cancel'));
echo "cancel: $c\n";
[, $b1] = h2srv_curl($srv->url('/ticks'));
usleep(200000);
[, $b2] = h2srv_curl($srv->url('/ticks'));
echo 'after cancel: ', $b1 === $b2 ? "stopped\n" : "still ticking ($b1 -> $b2)\n";
h2srv_curl($srv->url('/bad'));
echo 'exit code: ', $srv->stop(), "\n";
echo $srv->stdout();
echo preg_match('/error h2srv: after\(\) callback threw RuntimeException: timer boom/', $srv->stderr()) ? "logged the throwing timer\n" : $srv->stderr();
?>
--EXPECT--
deferred: rc=0, the timer saw 50 ms or a little more, the client waited at least 50 ms
every(20) after ~0.3 s: ticking
cancel: [true,false,false]
after cancel: stopped
exit code: 0
timer interval -1 ms is out of range (0 to 604800000)
timer interval 0 ms is out of range (1 to 604800000)
timer interval 9223372036854775807 ms is out of range (0 to 604800000)
run returned
logged the throwing timer
