--TEST--
A handler exception gives that stream a 500 and a line on stderr; the next request still works
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    if ($req->path() === '/boom') {
        $res->header('x-partial', 'yes');
        throw new LogicException('kaboom in handler');
    }
    if ($req->path() === '/error') {
        intdiv(1, 0);
    }
    $res->end('fine');
});
PHP);
foreach (['/boom', '/ok', '/error', '/ok'] as $p) {
    [$rc, $out] = h2srv_curl($srv->url($p), ['-w', ' %{http_code}\n']);
    echo "$p: $out";
}
$srv->stop();
echo $srv->stderr();
?>
--EXPECTF--
/boom:  500
/ok: fine 200
/error:  500
/ok: fine 200
%s error h2srv: handler threw LogicException for /boom: kaboom in handler; answered 500
%s error h2srv: handler threw DivisionByZeroError for /error: Division by zero; answered 500
