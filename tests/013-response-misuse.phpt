--TEST--
Misusing a Response throws H2srv\Exception: end() twice, header injection, connection-specific headers, bad status
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $log = [];
    $try = function (callable $f) use (&$log) {
        try { $f(); $log[] = 'no exception'; } catch (H2srv\Exception $e) { $log[] = $e->getMessage(); }
    };
    $try(fn() => $res->header('x-evil', "a\r\nset-cookie: pwned=1"));
    $try(fn() => $res->header("x-bad\nname", 'v'));
    $try(fn() => $res->header('', 'v'));
    $try(fn() => $res->header('Connection', 'close'));
    $try(fn() => $res->header('content-length', '5'));
    $try(fn() => $res->header('x-space', ' padded'));
    $try(fn() => $res->status(101));
    $try(fn() => $res->status(600));
    $res->header('X-Fine', 'yes')->end(implode("\n", $log) . "\n");
    $try(fn() => $res->end('again'));
    $try(fn() => $res->header('x-late', '1'));
    fwrite(STDERR, implode("\n", array_slice($log, -2)) . "\n");
});
PHP);
[$rc, $out] = h2srv_curl($srv->url('/'), ['-D', '-']);
echo $out;
$srv->stop();
echo $srv->stderr();
?>
--EXPECT--
HTTP/2 200 
x-fine: yes
content-length: 412

value of header "x-evil" contains CR, LF or NUL
header name "x-bad
name" has an invalid character at offset 5
header name is empty
header "connection" is connection-specific and not allowed in HTTP/2
header "content-length" is set by the server from the body
value of header "x-space" starts or ends with whitespace
status 101 is not a final HTTP status (200-599)
status 600 is not a final HTTP status (200-599)
the response was already sent by end(), stream() or sendFile()
the response has already ended
