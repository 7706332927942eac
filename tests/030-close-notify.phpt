--TEST--
A TLS connection the server ends gracefully ends with close_notify after the GOAWAY (RFC 8446 §6.1), whoever seals the records: on the idle timeout, and in answer to the client's own close_notify; a client that does not ignore a missing one sees no error
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$py = <<<'PY'
import socket, ssl, sys, h2.connection, h2.config, h2.events
port, how = int(sys.argv[1]), sys.argv[2]
ctx = ssl.create_default_context(); ctx.check_hostname = False; ctx.verify_mode = ssl.CERT_NONE
ctx.set_alpn_protocols(['h2'])
ctx.options &= ~ssl.OP_IGNORE_UNEXPECTED_EOF  # a missing close_notify is an error, not an end
s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', port)), server_hostname='localhost', suppress_ragged_eofs=False)
s.settimeout(10)
c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True)); c.initiate_connection()
c.send_headers(1, [(':method', 'GET'), (':path', '/'), (':scheme', 'https'), (':authority', 'x')], end_stream=True)
s.sendall(c.data_to_send())
seen = []
def read_until(stop):
    while True:
        try:
            d = s.recv(65536)
        except ssl.SSLError as e:
            return 'error: ' + e.reason
        if not d:
            return 'close_notify'
        for ev in c.receive_data(d):
            if isinstance(ev, h2.events.StreamEnded):
                seen.append('response')
            if isinstance(ev, h2.events.ConnectionTerminated):
                seen.append('GOAWAY(%d)' % ev.error_code)
        s.sendall(c.data_to_send())
        if stop():
            return None
if how == 'idle':
    end = read_until(lambda: False)
else:
    read_until(lambda: 'response' in seen)
    try:
        s.unwrap()  # our close_notify, then waits for the server's
        end = 'close_notify'
    except ssl.SSLError as e:
        end = 'error: ' + e.reason
print(how + ':', ' '.join(seen), 'then', end)
PY;
$code = '$server->handle(function ($req, $res) { $res->end("ok\n"); });';
foreach (['h2srv', 'openssl'] as $seal) {
    $srv = new TestServer($code, ['idle_timeout' => 1], ['h2srv.tls_seal' => $seal]);
    echo "tls_seal=$seal\n";
    foreach (['idle', 'client-close'] as $how) {
        [$rc, $out, $err] = h2srv_run(['/usr/bin/python3', '-c', $py, (string)$srv->port, $how]);
        echo $out ?: "rc $rc: $err\n";
    }
}
?>
--EXPECT--
tls_seal=h2srv
idle: response GOAWAY(0) then close_notify
client-close: response then close_notify
tls_seal=openssl
idle: response GOAWAY(0) then close_notify
client-close: response then close_notify
