--TEST--
request dispatch: a request whose stream is reset while a worker takes it is let go by that worker (a fed body, over 64 KiB, and a stream() producer would otherwise wait for credit forever: a peer could pile them up in the workers, and a graceful stop waited for its whole shutdown_timeout)
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    if ($req->path() === '/stream') {
        $n = 0;
        $res->stream(fn() => $n++ < 20 ? str_repeat('s', 8192) : null);
        return;
    }
    $res->end(str_repeat('b', $req->path() === '/big' ? 200000 : 3));
});
PHP, ['workers' => 2, 'dispatch' => 'request', 'tls' => false, 'shutdown_timeout' => 6]);
foreach (['/big', '/stream'] as $path) {
    [, $out, $err] = h2srv_py('h2peer.py', [(string)$srv->port, 'reset-as-taken', '4000', $path]);
    echo "$path: ", trim($out . $err), "\n";
}
[, $out] = h2srv_run(['curl', '-s', '--http2-prior-knowledge', "http://127.0.0.1:{$srv->port}/small"]);
echo "a request after them: $out\n";
$t = microtime(true);
$code = $srv->stop();
$took = microtime(true) - $t;
echo "SIGTERM: exit $code, ", $took < 3 ? 'stopped at once' : sprintf('stopped after %.1f s', $took), "\n";
preg_match_all('/.*unfinished.*/', $srv->stderr() . $srv->stdout(), $m);
echo 'requests left unfinished: ', $m[0] ? implode(' / ', $m[0]) : 'none', "\n";
?>
--EXPECT--
/big: reset-as-taken: 4000 sent
/stream: reset-as-taken: 4000 sent
a request after them: bbb
SIGTERM: exit 0, stopped at once
requests left unfinished: none
