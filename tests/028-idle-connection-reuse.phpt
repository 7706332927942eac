--TEST--
A connection that went idle (its buffers and nghttp2's frame buffer pages given back) serves again byte-exact: plain, copied (stream()) and large bodies after pauses longer than the idle sweep, over TLS and h2c
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$h2c = h2srv_free_port();
$srv = new TestServer(<<<'PHP'
$server->handle(function ($req, $res) {
    $n = (int)$req->queryParams()['n'];
    $body = implode('', array_map(fn($i) => str_pad((string)$i, 100, '.'), range(1, $n)));
    if ($req->path() === '/end') {
        $res->end($body);
        return;
    }
    $sent = false; // through stream(): DATA frames are copied into nghttp2's frame buffer
    $res->stream(function () use (&$sent, $body) {
        if ($sent) {
            return null;
        }
        $sent = true;
        return $body;
    });
});
PHP, ['listen' => [['address' => "127.0.0.1:$h2c", 'tls' => false]]]);

$py = <<<'PY'
import socket, ssl, sys, time, hashlib, h2.connection, h2.config, h2.events
port, tls = int(sys.argv[1]), sys.argv[2] == 'tls'
s = socket.create_connection(('127.0.0.1', port))
if tls:
    ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(['h2'])
    s = ctx.wrap_socket(s, server_hostname='localhost')
c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True)); c.initiate_connection()
s.sendall(c.data_to_send())
def get(path):
    sid = c.get_next_available_stream_id()
    c.send_headers(sid, [(':method', 'GET'), (':path', path), (':scheme', 'https' if tls else 'http'), (':authority', 'x')], end_stream=True)
    s.sendall(c.data_to_send())
    body = b''
    while True:
        d = s.recv(65536)
        if not d: return 'connection closed'
        for e in c.receive_data(d):
            if isinstance(e, h2.events.DataReceived):
                body += e.data; c.acknowledge_received_data(e.flow_controlled_length, sid)
            elif isinstance(e, h2.events.StreamEnded) and e.stream_id == sid:
                s.sendall(c.data_to_send())
                return body
        s.sendall(c.data_to_send())
ok = []
for path in ['/end?n=3', '/stream?n=3', '/stream?n=700', '/end?n=700', '/stream?n=5', '/end?n=2000', '/stream?n=2000']:
    n = int(path.split('=')[1])
    want = b''.join(str(i).encode().ljust(100, b'.') for i in range(1, n + 1))
    got = get(path)
    ok.append('ok' if got == want else 'WRONG(%s)' % (got if isinstance(got, str) else len(got)))
    time.sleep(0.6)  # more than two idle sweeps: the connection gives its buffers back
print(' '.join(ok))
PY;
foreach (['tls' => $srv->port, 'h2c' => $h2c] as $mode => $port) {
    [$rc, $out, $err] = h2srv_run(['/usr/bin/python3', '-c', $py, (string)$port, $mode]);
    echo "$mode: ", trim($out) ?: $err, "\n";
}
echo 'exit code: ', $srv->stop(), "\n";
?>
--EXPECT--
tls: ok ok ok ok ok ok ok
h2c: ok ok ok ok ok ok ok
exit code: 0
