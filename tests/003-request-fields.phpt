--TEST--
Method, path, query, headers, authority and remote address reach PHP exactly
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $h = $req->headers();
    unset($h['user-agent']);
    ksort($h);
    $res->header('content-type', 'application/json')->end(json_encode([
        'method' => $req->method(), 'path' => $req->path(), 'query' => $req->query(),
        'authority' => $req->authority(), 'remote' => $req->remoteAddress(),
        'x-one' => $req->header('X-ONE'), 'missing' => $req->header('x-missing'),
        'multi' => $req->header('x-multi'), 'cookie' => $req->header('cookie'),
        'body' => $req->body(), 'headers' => $h,
    ], JSON_PRETTY_PRINT | JSON_UNESCAPED_SLASHES));
});
PHP);
[$rc, $out] = h2srv_curl($srv->url('/a/b%20c?x=1&y=%2F'), ['-X', 'PATCH', '-H', 'X-One: first',
    '-H', 'x-multi: a', '-H', 'x-multi: b', '-H', 'cookie: c1=1', '-H', 'cookie: c2=2', '-H', 'accept: */*']);
var_dump($rc);
echo $out, "\n";
[$rc, $out] = h2srv_curl($srv->url('/only-path'), ['-w', '', '-o', '-', '-H', 'x-one: 1']);
echo json_decode($out, true)['query'] === '' ? "empty query\n" : "query: $out\n";
?>
--EXPECTF--
int(0)
{
    "method": "PATCH",
    "path": "/a/b%20c",
    "query": "x=1&y=%2F",
    "authority": "127.0.0.1:%d",
    "remote": "127.0.0.1",
    "x-one": "first",
    "missing": null,
    "multi": "a, b",
    "cookie": "c1=1; c2=2",
    "body": "",
    "headers": {
        "accept": "*/*",
        "cookie": "c1=1; c2=2",
        "x-multi": "a, b",
        "x-one": "first"
    }
}
empty query
