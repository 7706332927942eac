--TEST--
HTTP/1.1 request smuggling and malformed requests: each of 39 is answered with its refusal (400, or 505 for HTTP/2.0, 405 for CONNECT) and the connection closed; the valid request written right behind each is never answered and no handler runs; the server's http1 stats count every refusal; over TLS with ALPN http/1.1 the HTTP/2 preface is no request either
--SKIPIF--
<?php require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$plain = h2srv_free_port();
$srv = new TestServer(<<<'PHP'
$server->handle(function ($req, $res) {
    echo "handler ran for {$req->path()}\n";
    $res->end('served');
});
register_shutdown_function(function () use ($server) {
    if (!empty($GLOBALS['h2srv_run_returned'])) {
        $h1 = $server->stats()['http1'];
        echo "requests {$server->stats()['requests']}, http1 refused {$h1['refused']}, http1 requests {$h1['requests']}\n";
    }
});
PHP, ['listen' => [['address' => "127.0.0.1:$plain", 'tls' => false]]]);
[$rc, $out, $err] = h2srv_run(['/usr/bin/python3', __DIR__ . '/../inc/h1raw.py', (string)$plain, 'smuggle', (string)$srv->port], null, 120);
echo $out, $err;
// The connection still serves a well-formed request afterwards.
echo 'then: ', h2srv_run(['curl', '-sS', '--http1.1', "http://127.0.0.1:$plain/fine"])[1], "\n";
$srv->stop();
echo $srv->stdout();
?>
--EXPECT--
cl-and-te: 400 responses=1 closed=True
te-and-cl: 400 responses=1 closed=True
cl-differing: 400 responses=1 closed=True
cl-repeated: 400 responses=1 closed=True
cl-list: 400 responses=1 closed=True
cl-plus: 400 responses=1 closed=True
cl-negative: 400 responses=1 closed=True
te-identity: 400 responses=1 closed=True
te-chunked-not-last: 400 responses=1 closed=True
te-gzip: 400 responses=1 closed=True
te-xchunked: 400 responses=1 closed=True
te-twice: 400 responses=1 closed=True
space-before-colon: 400 responses=1 closed=True
obs-fold: 400 responses=1 closed=True
obs-fold-te: 400 responses=1 closed=True
bare-lf-field: 400 responses=1 closed=True
bare-cr-field: 400 responses=1 closed=True
bare-lf-request-line: 400 responses=1 closed=True
two-spaces: 400 responses=1 closed=True
http10-chunked: 400 responses=1 closed=True
no-host: 400 responses=1 closed=True
two-hosts: 400 responses=1 closed=True
chunk-size-junk: 400 responses=1 closed=True
chunk-size-negative: 400 responses=1 closed=True
chunk-size-overflow: 400 responses=1 closed=True
chunk-no-crlf: 400 responses=1 closed=True
chunk-ext-bad: 400 responses=1 closed=True
chunk-ext-space: 400 responses=1 closed=True
ctl-in-target: 400 responses=1 closed=True
space-in-target: 400 responses=1 closed=True
tab-in-target: 400 responses=1 closed=True
nul-in-value: 400 responses=1 closed=True
space-in-name: 400 responses=1 closed=True
userinfo-target: 400 responses=1 closed=True
version-2: 505 responses=1 closed=True
version-1.2: 400 responses=1 closed=True
connect: 405 responses=1 closed=True
garbage: 400 responses=1 closed=True
h2-preface-over-http1: 400 responses=1 closed=True
then: served
handler ran for /fine
run returned
requests 1, http1 refused 39, http1 requests 1
