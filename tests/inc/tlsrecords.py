#!/usr/bin/python3
"""A TLS 1.3 client whose records the test lays onto TCP segments itself.

Python's ssl module cannot send a KeyUpdate, so this drives the system's libssl through ctypes
over two memory BIOs: every record the client makes lands in a buffer first, and the test
decides how those bytes are cut into send() calls (TCP_NODELAY, a pause between the parts).
HTTP/2 on top comes from Debian's python3-h2.

Usage: tlsrecords.py PORT SUITE PATH SPLIT[,SPLIT...]
For each SPLIT (a byte count), on a connection of its own: gets PATH; asks for a KeyUpdate with
update_requested and sends it together with the first SPLIT bytes of the next record (the next
request) in one segment, and the rest of that record 0.2 s later; gets PATH twice more. A SPLIT
of "-" asks for no KeyUpdate: PATH four times, plainly. Each
response is checked against its x-sha1 header. Prints a line per SPLIT: SUITE SPLIT, then
exact|WRONG|connection-ended|timeout per response, then server-keyupdates=N (KeyUpdate
messages the client's libssl read).
"""
import ctypes
import ctypes.util
import hashlib
import socket
import sys
import time

import h2.config
import h2.connection
import h2.events

ssl = ctypes.CDLL(ctypes.util.find_library('ssl') or 'libssl.so.3')
for name, res, args in [
    ('TLS_client_method', ctypes.c_void_p, []),
    ('SSL_CTX_new', ctypes.c_void_p, [ctypes.c_void_p]),
    ('SSL_CTX_ctrl', ctypes.c_long, [ctypes.c_void_p, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]),
    ('SSL_CTX_set_ciphersuites', ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p]),
    ('SSL_CTX_set_alpn_protos', ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_uint]),
    ('SSL_CTX_set_msg_callback', None, [ctypes.c_void_p, ctypes.c_void_p]),
    ('SSL_new', ctypes.c_void_p, [ctypes.c_void_p]),
    ('SSL_ctrl', ctypes.c_long, [ctypes.c_void_p, ctypes.c_int, ctypes.c_long, ctypes.c_void_p]),
    ('BIO_s_mem', ctypes.c_void_p, []),
    ('BIO_new', ctypes.c_void_p, [ctypes.c_void_p]),
    ('BIO_read', ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_int]),
    ('BIO_write', ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_int]),
    ('SSL_set_bio', None, [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_void_p]),
    ('SSL_set_connect_state', None, [ctypes.c_void_p]),
    ('SSL_do_handshake', ctypes.c_int, [ctypes.c_void_p]),
    ('SSL_get_error', ctypes.c_int, [ctypes.c_void_p, ctypes.c_int]),
    ('SSL_read_ex', ctypes.c_int, [ctypes.c_void_p, ctypes.c_void_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ('SSL_write_ex', ctypes.c_int, [ctypes.c_void_p, ctypes.c_char_p, ctypes.c_size_t, ctypes.POINTER(ctypes.c_size_t)]),
    ('SSL_key_update', ctypes.c_int, [ctypes.c_void_p, ctypes.c_int]),
]:
    fn = getattr(ssl, name)
    fn.restype, fn.argtypes = res, args

SSL_CTRL_SET_TLSEXT_HOSTNAME, SSL_CTRL_SET_MIN_PROTO_VERSION, SSL_CTRL_SET_MAX_PROTO_VERSION = 55, 123, 124
TLS1_3_VERSION, SSL_ERROR_WANT_READ, SSL_KEY_UPDATE_REQUESTED = 0x0304, 2, 1
MSG_CB = ctypes.CFUNCTYPE(None, ctypes.c_int, ctypes.c_int, ctypes.c_int, ctypes.c_void_p, ctypes.c_size_t,
                          ctypes.c_void_p, ctypes.c_void_p)
TLS_HANDSHAKE, HS_KEY_UPDATE = 22, 24


class Client:
    def __init__(self, port, suite):
        self.key_updates_in = 0
        ctx = ssl.SSL_CTX_new(ssl.TLS_client_method())
        ssl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MIN_PROTO_VERSION, TLS1_3_VERSION, None)
        ssl.SSL_CTX_ctrl(ctx, SSL_CTRL_SET_MAX_PROTO_VERSION, TLS1_3_VERSION, None)
        ssl.SSL_CTX_set_ciphersuites(ctx, suite.encode())
        ssl.SSL_CTX_set_alpn_protos(ctx, b'\x02h2', 3)
        self.msg_cb = MSG_CB(self.on_msg)  # kept referenced for libssl
        ssl.SSL_CTX_set_msg_callback(ctx, ctypes.cast(self.msg_cb, ctypes.c_void_p))
        self.ssl = ssl.SSL_new(ctx)
        self.rbio, self.wbio = ssl.BIO_new(ssl.BIO_s_mem()), ssl.BIO_new(ssl.BIO_s_mem())
        ssl.SSL_set_bio(self.ssl, self.rbio, self.wbio)
        ssl.SSL_ctrl(self.ssl, SSL_CTRL_SET_TLSEXT_HOSTNAME, 0, ctypes.c_char_p(b'localhost'))
        ssl.SSL_set_connect_state(self.ssl)
        self.sock = socket.create_connection(('127.0.0.1', port), timeout=10)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        while ssl.SSL_do_handshake(self.ssl) != 1:
            self.sock.sendall(self.take())
            if not self.pull():
                raise RuntimeError('handshake failed')
        self.sock.sendall(self.take())

    def on_msg(self, write_p, version, content_type, buf, length, ssl_, arg):
        if not write_p and content_type == TLS_HANDSHAKE and length and ctypes.string_at(buf, 1)[0] == HS_KEY_UPDATE:
            self.key_updates_in += 1

    def take(self):
        """Every ciphertext byte libssl has produced so far."""
        out, chunk = b'', ctypes.create_string_buffer(65536)
        while (n := ssl.BIO_read(self.wbio, chunk, len(chunk))) > 0:
            out += chunk.raw[:n]
        return out

    def pull(self):
        data = self.sock.recv(65536)
        if data:
            ssl.BIO_write(self.rbio, data, len(data))
        return bool(data)

    def write(self, data):
        n = ctypes.c_size_t()
        if not ssl.SSL_write_ex(self.ssl, data, len(data), ctypes.byref(n)):
            raise RuntimeError('SSL_write failed')

    def read(self):
        """Plaintext decrypted so far, b'' when none; None once the connection is over."""
        out, buf, n = b'', ctypes.create_string_buffer(65536), ctypes.c_size_t()
        while ssl.SSL_read_ex(self.ssl, buf, len(buf), ctypes.byref(n)):
            out += buf.raw[:n.value]
        if not out and ssl.SSL_get_error(self.ssl, 0) != SSL_ERROR_WANT_READ:
            return None
        return out


def records(data):
    """Splits ciphertext into whole TLS records."""
    out = []
    while data:
        n = 5 + int.from_bytes(data[3:5], 'big')
        out.append(data[:n])
        data = data[n:]
    return out


def session(port, suite, path, split):
    tls = Client(port, suite)
    h2c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    h2c.initiate_connection()
    tls.write(h2c.data_to_send())
    tls.sock.sendall(tls.take())

    def get(split=None):
        sid = h2c.get_next_available_stream_id()
        h2c.send_headers(sid, [(':method', 'GET'), (':path', path), (':scheme', 'https'), (':authority', 'x')],
                         end_stream=True)
        if split is None:
            tls.write(h2c.data_to_send())
            tls.sock.sendall(tls.take())
        else:
            # The KeyUpdate goes out in front of the next write: two records, cut where asked.
            ssl.SSL_key_update(tls.ssl, SSL_KEY_UPDATE_REQUESTED)
            tls.write(h2c.data_to_send())
            recs = records(tls.take())
            if len(recs) != 2:
                return 'records=%d' % len(recs)
            first = recs[0] + recs[1][:split]
            tls.sock.sendall(first)
            time.sleep(0.2)
            tls.sock.sendall(recs[1][split:])
        body, sha, deadline = b'', None, time.time() + 10
        while time.time() < deadline:
            try:
                if not tls.pull():
                    return 'connection-ended'
            except (ConnectionResetError, socket.timeout):
                return 'connection-ended'
            plain = tls.read()
            if plain is None:
                return 'connection-ended'
            for ev in h2c.receive_data(plain):
                if isinstance(ev, h2.events.ResponseReceived) and ev.stream_id == sid:
                    sha = dict(ev.headers).get(b'x-sha1', b'').decode()
                elif isinstance(ev, h2.events.DataReceived) and ev.stream_id == sid:
                    body += ev.data
                    h2c.acknowledge_received_data(ev.flow_controlled_length, sid)
                elif isinstance(ev, h2.events.StreamEnded) and ev.stream_id == sid:
                    tls.write(h2c.data_to_send())
                    tls.sock.sendall(tls.take())
                    return 'exact' if hashlib.sha1(body).hexdigest() == sha else 'WRONG'
            tls.write(h2c.data_to_send())
            tls.sock.sendall(tls.take())
        return 'timeout'

    out = [get(), get(split), get(), get()]
    # A KeyUpdate the server sends after a response's last bytes (in front of a WINDOW_UPDATE,
    # say) comes before the answer to a PING sent now: count those too before closing.
    h2c.ping(b'lastping')
    tls.write(h2c.data_to_send())
    tls.sock.sendall(tls.take())
    deadline = time.time() + 5
    acked = False
    while not acked and time.time() < deadline:
        try:
            if not tls.pull():
                break
        except (ConnectionResetError, socket.timeout):
            break
        plain = tls.read()
        if plain is None:
            break
        acked = any(isinstance(ev, h2.events.PingAckReceived) for ev in h2c.receive_data(plain))
    print(suite, '-' if split is None else split, ' '.join(out), 'server-keyupdates=%d' % tls.key_updates_in)


def main():
    port, suite, path = int(sys.argv[1]), sys.argv[2], sys.argv[3]
    for split in sys.argv[4].split(','):
        session(port, suite, path, None if split == '-' else int(split))


main()
