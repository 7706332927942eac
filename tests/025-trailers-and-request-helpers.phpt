--TEST--
Trailers both ways (grpc-status after DATA seen by nghttp and by a python3-h2 client, request trailers readable and kept out of headers()), 204 and 304 without a body, and the request helpers queryParams(), cookies(), scheme(), protocol()
--SKIPIF--
<?php $needs = ['curl', 'nghttp']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
$server->handle(function ($req, $res) {
    switch ($req->path()) {
    case '/grpc':
        $res->header('content-type', 'application/grpc')
            ->trailer('grpc-status', '0')->trailer('grpc-message', 'fine')
            ->end("\0\0\0\0\2hi");
        return;
    case '/echo-trailers':
        $res->trailer('x-empty-body', 'yes')->end(json_encode([
            'body' => $req->body(), 'trailers' => $req->trailers(), 'header-has-trailer' => $req->header('x-checksum'),
        ]));
        return;
    case '/no-content':
        $res->status(204)->end('this body must not be sent');
        return;
    case '/not-modified':
        $res->status(304)->header('etag', '"v1"')->end('this body must not be sent');
        return;
    case '/helpers':
        $res->end(json_encode([$req->queryParams(), $req->cookies(), $req->scheme(), $req->protocol()]));
        return;
    case '/bad-trailer':
        try { $res->trailer('x-t', "a\nb"); } catch (H2srv\Exception $e) { $res->end($e->getMessage()); }
        return;
    }
});
PHP);
[$rc, $out] = h2srv_run(['nghttp', '-v', $srv->url('/grpc')]);
$data = strpos($out, 'recv DATA frame');
$trailer = strpos($out, 'recv (stream_id=13) grpc-status: 0');
echo 'nghttp: grpc-status ', $trailer !== false && $data !== false && $trailer > $data ? 'after the DATA' : 'missing or before the DATA',
    str_contains($out, 'grpc-message: fine') ? ", grpc-message too\n" : "\n";

$py = <<<'PY'
import socket, ssl, sys, json, h2.connection, h2.config, h2.events
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
ctx.set_alpn_protocols(['h2'])
s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', int(sys.argv[1]))), server_hostname='localhost')
c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True)); c.initiate_connection()
c.send_headers(1, [(':method', 'POST'), (':path', '/echo-trailers'), (':scheme', 'https'), (':authority', 'localhost')])
c.send_data(1, b'payload')
c.send_headers(1, [('x-checksum', 'abc123')], end_stream=True)
s.sendall(c.data_to_send())
got = {'headers': None, 'body': b'', 'trailers': None}
done = False
while not done:
    d = s.recv(65536)
    if not d: break
    for e in c.receive_data(d):
        if isinstance(e, h2.events.ResponseReceived): got['headers'] = dict(e.headers)
        elif isinstance(e, h2.events.DataReceived): got['body'] += e.data; c.acknowledge_received_data(len(e.data), 1)
        elif isinstance(e, h2.events.TrailersReceived): got['trailers'] = dict(e.headers)
        elif isinstance(e, h2.events.StreamEnded): done = True
    s.sendall(c.data_to_send())
print(json.dumps({'status': got['headers'][b':status'].decode(), 'body': json.loads(got['body']),
    'trailers': {k.decode(): v.decode() for k, v in (got['trailers'] or {}).items()}}))
PY;
[$rc, $out, $err] = h2srv_run(['/usr/bin/python3', '-c', $py, (string)$srv->port]);
echo "python3-h2: ", trim($out) ?: $err, "\n";

[$rc, $out] = h2srv_curl($srv->url('/no-content'), ['-D', '-']);
echo '204: ', str_contains($out, 'this body') ? 'a body was sent' : 'no body', str_contains($out, 'content-length') ? ", content-length sent\n" : ", no content-length\n";
[$rc, $out] = h2srv_curl($srv->url('/not-modified'), ['-D', '-', '-H', 'if-none-match: "v1"']);
echo '304: ', str_contains($out, 'this body') ? 'a body was sent' : 'no body', str_contains($out, 'content-length') ? ', content-length sent' : ', no content-length',
    str_contains($out, 'etag: "v1"') ? ", etag kept\n" : "\n";
[$rc, $out] = h2srv_curl($srv->url('/helpers?a=1&b[]=x&b[]=y&c=%20sp+ace'), ['-H', 'cookie: sid=abc%3D1; theme=dark', '-H', 'cookie: sid=second']);
echo "helpers: $out\n";
echo 'bad trailer: ', h2srv_curl($srv->url('/bad-trailer'))[1], "\n";
echo 'exit code: ', $srv->stop(), "\n";
?>
--EXPECT--
nghttp: grpc-status after the DATA, grpc-message too
python3-h2: {"status": "200", "body": {"body": "payload", "trailers": {"x-checksum": "abc123"}, "header-has-trailer": null}, "trailers": {"x-empty-body": "yes"}}
204: no body, no content-length
304: no body, no content-length, etag kept
helpers: [{"a":"1","b":["x","y"],"c":" sp ace"},{"sid":"abc=1","theme":"dark"},"https","HTTP\/2"]
bad trailer: value of trailer "x-t" contains CR, LF or NUL
exit code: 0
