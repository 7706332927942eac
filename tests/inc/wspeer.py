#!/usr/bin/python3
"""Raw WebSocket peer for h2srv tests: frames by hand, over HTTP/2 (RFC 8441, carried by
python3-h2) or HTTP/1.1 (RFC 6455 Upgrade), so that it can misbehave on purpose; prints what the
server did, one line per fact.

Usage: wspeer.py h1|h2 tls|plain PORT PATH SCENARIO [ARG]. Runs under Debian's /usr/bin/python3."""
import base64
import hashlib
import os
import select
import socket
import struct
import sys
import time
import zlib

import h2.config
import h2.connection
import h2.events
import h2.settings

import tlsclient

GUID = b'258EAFA5-E914-47DA-95CA-C5AB0DC85B11'
TEXT, BINARY, CLOSE, PING, PONG, CONT = 1, 2, 8, 9, 10, 0


def frame(op, payload=b'', fin=True, mask=True, rsv=0, length=None):
    n = len(payload) if length is None else length
    b0 = (0x80 if fin else 0) | rsv << 4 | op
    if n < 126:
        hdr = struct.pack('!BB', b0, (0x80 if mask else 0) | n)
    elif n < 65536:
        hdr = struct.pack('!BBH', b0, (0x80 if mask else 0) | 126, n)
    else:
        hdr = struct.pack('!BBQ', b0, (0x80 if mask else 0) | 127, n)
    if not mask:
        return hdr + payload
    key = os.urandom(4)
    return hdr + key + bytes(b ^ key[i & 3] for i, b in enumerate(payload)) if len(payload) < 4096 \
        else hdr + key + xor(payload, key)


def xor(data, key):
    k = int.from_bytes(key * 2, 'little')
    n = len(data)
    pad = (-n) % 8
    words = memoryview(data + b'\0' * pad).cast('Q')
    out = bytearray(n + pad)
    ow = memoryview(out).cast('Q')
    for i in range(len(words)):
        ow[i] = words[i] ^ k
    return bytes(out[:n])


class Carrier:
    """Bytes to and from the server's WebSocket, whichever protocol carries them."""

    def __init__(self, proto, tls, port, path, extra=()):
        self.proto = proto
        self.buf = b''
        self.ended = False
        self.reset = None
        self.ack = True   # HTTP/2: credit the server's DATA as it is read
        self.unacked = 0  # what was read while |ack| was off
        self.sock = sock = (tlsclient.connect(port, ['h2' if proto == 'h2' else 'http/1.1']) if tls
                            else socket.create_connection(('127.0.0.1', port), timeout=10))
        scheme = 'https' if tls else 'http'
        if proto == 'h2':
            self.conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding='utf-8'))
            self.conn.initiate_connection()
            self.flush()
            # RFC 8441 §3: wait for the server's SETTINGS_ENABLE_CONNECT_PROTOCOL
            self.enabled = None
            while self.enabled is None:
                self.read()
            print('enable_connect_protocol %d' % self.enabled)
            if not self.enabled:
                sys.exit(0)
            self.sid = self.conn.get_next_available_stream_id()
            self.conn.send_headers(self.sid, [(':method', 'CONNECT'), (':protocol', 'websocket'), (':scheme', scheme),
                                              (':path', path), (':authority', '127.0.0.1:%d' % port),
                                              ('sec-websocket-version', '13')] + list(extra))
            self.flush()
            self.status = None
            while self.status is None and not self.ended:
                self.read()
        else:
            key = base64.b64encode(os.urandom(16))
            head = b'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' \
                   b'Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n' % (path.encode(), port, key)
            head += b''.join(b'%s: %s\r\n' % (n.encode(), v.encode()) for n, v in extra)
            sock.sendall(head + b'\r\n')
            while b'\r\n\r\n' not in self.buf:
                d = sock.recv(65536)
                if not d:
                    break
                self.buf += d
            resp, _, self.buf = self.buf.partition(b'\r\n\r\n')
            lines = resp.decode('latin-1').split('\r\n')
            self.status = int(lines[0].split()[1])
            fields = dict((l.split(':', 1)[0].lower(), l.split(':', 1)[1].strip()) for l in lines[1:] if ':' in l)
            if self.status == 101:
                want = base64.b64encode(hashlib.sha1(key + GUID).digest()).decode()
                print('accept %s' % ('ok' if fields.get('sec-websocket-accept') == want else 'WRONG'))
        print('status %d' % self.status)
        if proto == 'h1' and self.status == 101 and 'sec-websocket-extensions' in fields:
            print('extensions: %s' % fields['sec-websocket-extensions'])

    def flush(self):
        out = self.conn.data_to_send()
        if out:
            self.sock.sendall(out)

    def read(self):
        try:
            d = self.sock.recv(1 << 20)
        except socket.timeout:
            raise SystemExit('timeout')
        if not d:
            self.ended = True
            return
        if self.proto == 'h1':
            self.buf += d
            return
        for ev in self.conn.receive_data(d):
            if isinstance(ev, h2.events.RemoteSettingsChanged):
                s = ev.changed_settings.get(h2.settings.SettingCodes.ENABLE_CONNECT_PROTOCOL)
                self.enabled = s.new_value if s else (self.enabled or 0)
            elif isinstance(ev, h2.events.ResponseReceived):
                hd = dict(ev.headers)
                self.status = int(hd[':status'])
                if 'sec-websocket-extensions' in hd:
                    print('extensions: %s' % hd['sec-websocket-extensions'])
            elif isinstance(ev, h2.events.DataReceived):
                self.buf += ev.data
                if self.ack:
                    self.conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
                else:
                    self.unacked += ev.flow_controlled_length
            elif isinstance(ev, h2.events.StreamEnded):
                self.ended = True
            elif isinstance(ev, h2.events.StreamReset):
                self.reset = ev.error_code
                self.ended = True
            elif isinstance(ev, h2.events.ConnectionTerminated):
                self.ended = True
        self.flush()

    def send(self, data):
        if self.proto == 'h1':
            self.sock.sendall(data)
            return
        while data:
            room = min(self.conn.local_flow_control_window(self.sid), self.conn.max_outbound_frame_size)
            if room <= 0:
                self.read()
                continue
            self.conn.send_data(self.sid, data[:room])
            data = data[room:]
            self.flush()

    def end(self):
        if self.proto == 'h1':
            self.sock.shutdown(socket.SHUT_WR)
        else:
            self.conn.end_stream(self.sid)
            self.flush()

    def frame(self):
        """The server's next frame as (fin, op, payload), or None once its side ended."""
        while True:
            if len(self.buf) >= 2:
                b0, b1 = self.buf[0], self.buf[1]
                if b1 & 0x80:
                    print('server frame masked')
                n, at = b1 & 0x7f, 2
                if n == 126:
                    n, at = struct.unpack('!H', self.buf[2:4])[0] if len(self.buf) >= 4 else -1, 4
                elif n == 127:
                    n, at = struct.unpack('!Q', self.buf[2:10])[0] if len(self.buf) >= 10 else -1, 10
                if n >= 0 and len(self.buf) >= at + n:
                    payload, self.buf = self.buf[at:at + n], self.buf[at + n:]
                    return bool(b0 & 0x80), b0 & 0x0f, payload
            if self.ended:
                return None
            self.read()

    def message(self):
        """The next data message, answering nothing: (op, data), ('close', code, reason), or None."""
        parts, first = [], None
        while True:
            f = self.frame()
            if f is None:
                return None
            fin, op, payload = f
            if op == CLOSE:
                code = struct.unpack('!H', payload[:2])[0] if len(payload) >= 2 else 1005
                return ('close', code, payload[2:].decode('utf-8', 'replace'))
            if op in (PING, PONG):
                return (op, payload)
            first = first if first is not None else op
            parts.append(payload)
            if fin:
                return (first, b''.join(parts))

    def expect_close(self, what):
        m = self.message()
        while m is not None and m[0] != 'close':
            m = self.message()
        if m is None:
            print('%s: no close frame' % what)
            return
        print('%s: close %d %s' % (what, m[1], m[2]))
        # the server ends its side after its close frame
        deadline = time.time() + 5
        while not self.ended and time.time() < deadline:
            self.read()
        print('%s: ended %s' % (what, 'yes' if self.ended else 'no'))


# Frames RFC 6455 forbids, each sent alone on a fresh socket: the server must close with its code.
VIOLATIONS = {
    'unmasked': lambda: [frame(TEXT, b'hi', mask=False)],
    'bad-utf8': lambda: [frame(TEXT, b'ok \xc3\x28 no')],
    # a valid character split across fragments, then a surrogate in the last fragment
    'bad-utf8-split': lambda: [frame(TEXT, b'\xe2\x82', fin=False), frame(CONT, b'\xac fine', fin=False),
                               frame(CONT, b'\xed\xa0\x80', fin=True)],
    'big-control': lambda: [frame(PING, b'x' * 126)],
    'fragmented-control': lambda: [frame(PING, b'x', fin=False)],
    'rsv': lambda: [frame(TEXT, b'x', rsv=4)],
    'opcode': lambda: [frame(3, b'x')],
    'continuation': lambda: [frame(CONT, b'x')],
    'interleaved': lambda: [frame(TEXT, b'a', fin=False), frame(BINARY, b'b')],
    'bad-close': lambda: [frame(CLOSE, struct.pack('!H', 1005))],
    'close-one-byte': lambda: [frame(CLOSE, b'\x03')],
}


def run(c, scenario, arg):
    if scenario == 'echo':
        # N messages, text and binary, of up to 1 MiB, or of up to MAX bytes with "N/MAX"
        n, _, top = arg.partition('/')
        n, top = int(n), int(top or 1 << 20)
        for i in range(n):
            if i % 2:
                data, op = (os.urandom(64) * (i * 97 % (1 << 14) + 1))[:top], BINARY
            else:
                data, op = (('é%d' % i) * (i % 500 + 1)).encode()[:top], TEXT
                data = data.decode('utf-8', 'ignore').encode()
            c.send(frame(op, data))
            m = c.message()
            if m != (op, data):
                print('echo %d wrong: %r' % (i, m if m is None or m[0] == 'close' else (m[0], len(m[1]))))
                return
        print('echo ok %d' % n)
        c.send(frame(CLOSE, struct.pack('!H', 1000) + b'done'))
        c.expect_close('client close')
    elif scenario == 'pipelined':
        # N messages of odd sizes sent at once, before any echo is read: they wait together in the
        # socket's inbox, one right behind the other
        msgs = [(BINARY if i % 2 else TEXT, (b'%d' % i) * (i % 7 * 3 + 1)) for i in range(int(arg))]
        c.send(b''.join(frame(op, data) for op, data in msgs))
        for i, want in enumerate(msgs):
            m = c.message()
            if m != want:
                print('pipelined %d wrong: %r' % (i, m))
                return
        print('pipelined ok %d' % len(msgs))
        c.send(frame(CLOSE, struct.pack('!H', 1000) + b'done'))
        c.expect_close('client close')
    elif scenario == 'fragments':
        # a text message in three fragments with a ping and an empty continuation between them
        c.send(frame(TEXT, 'hé'.encode()[:2], fin=False))
        c.send(frame(PING, b'p1'))
        c.send(frame(CONT, 'hé'.encode()[2:] + b'llo ', fin=False))
        c.send(frame(CONT, b'', fin=False))
        c.send(frame(PING, b'p2'))
        c.send(frame(CONT, b'world', fin=True))
        got = [c.message() for _ in range(3)]
        print('fragments: %r' % [(m[0], m[1].decode()) for m in got])
        c.send(frame(CLOSE, struct.pack('!H', 1001)))
        c.expect_close('client close')
    elif scenario in VIOLATIONS:
        for f in VIOLATIONS[scenario]():
            c.send(f)
        c.expect_close(scenario)
    elif scenario == 'big-message':
        n = int(arg)
        c.send(frame(BINARY, b'a' * (n // 2), fin=False))
        c.send(frame(CONT, b'a' * (n // 2 + 1), fin=True))
        c.expect_close('big-message')
    elif scenario == 'server-close':
        c.send(frame(TEXT, b'close me'))
        m = c.message()
        print('server-close: close %d %s' % (m[1], m[2]) if m and m[0] == 'close' else 'server-close: %r' % (m,))
        c.send(frame(CLOSE, struct.pack('!H', m[1] if m and m[0] == 'close' else 1000)))
        deadline = time.time() + 5
        while not c.ended and time.time() < deadline:
            c.read()
        print('server-close: ended %s' % ('yes' if c.ended else 'no'))
    elif scenario == 'vanish':
        c.send(frame(TEXT, b'then nothing'))
        print('vanish: %r' % (c.message(),))
        c.end()
        time.sleep(0.5)
    elif scenario == 'silent':
        # says nothing: the server pings; answered pings keep it open, then we stop answering
        pings = 0
        for _ in range(int(arg)):
            m = c.message()
            if m and m[0] == PING:
                pings += 1
                c.send(frame(PONG, m[1]))
        print('silent: pinged %d' % pings)
        deadline = time.time() + 15
        while not c.ended and time.time() < deadline:
            c.read()
        print('silent: ended %s reset %s' % ('yes' if c.ended else 'no', c.reset))
    elif scenario == 'ping-flood':
        # pings without reading a single pong: the server must stop reading us, not queue pongs.
        # HTTP/2: the client reads the connection (the server's credit for its pings comes that
        # way) but credits none of the pongs, so they wait in the server, as unread ones would.
        ping = frame(PING, b'p' * 125) * 64
        total, sent, t0 = int(arg), 0, time.time()
        c.sock.settimeout(1.0)
        c.ack = False
        try:
            while sent < total and time.time() - t0 < 10:
                if c.proto == 'h2':
                    if c.conn.local_flow_control_window(c.sid) < len(ping):
                        if not select.select([c.sock], [], [], 1.0)[0]:
                            break  # no credit for a second: the server stopped crediting our stream
                        c.read()
                        continue
                    c.conn.send_data(c.sid, ping)
                    c.sock.sendall(c.conn.data_to_send())
                else:
                    c.sock.sendall(ping)
                sent += 64
        except socket.timeout:
            pass  # (HTTP/1.1: a frame may be cut here; nothing is sent after it)
        print('ping-flood: the server stopped taking pings before all %d: %s' % (total, 'yes' if sent < total else 'no'),
              flush=True)
        time.sleep(2)  # the test measures the server meanwhile
        c.ack = True
        if c.proto == 'h2' and c.unacked:
            c.conn.acknowledge_received_data(c.unacked, c.sid)
            c.flush()
        pongs = 0
        c.sock.settimeout(2.0)
        try:
            while pongs < 1000:
                m = c.message()
                if m is None or m[0] != PONG:
                    break
                pongs += 1
        except (socket.timeout, SystemExit):
            pass
        print('ping-flood: pongs flow once read: %s' % ('yes' if pongs >= 1000 else 'no (%d)' % pongs))
    elif scenario == 'unheard-flood':
        # ARG messages of 64 KiB to a socket whose PHP takes none for now: the server must stop
        # taking them (and so hold a bounded part), then take the rest once its PHP listens
        total = int(arg)
        data = frame(BINARY, b'u' * 65536) * total
        off = 0
        c.sock.setblocking(False)
        while off < len(data):
            if c.proto == 'h2':
                room = min(c.conn.local_flow_control_window(c.sid), c.conn.max_outbound_frame_size)
                if room > 0:
                    c.conn.send_data(c.sid, data[off:off + room])
                    off += room
                    c.sock.setblocking(True)
                    c.flush()
                    c.sock.setblocking(False)
                    continue
                if not select.select([c.sock], [], [], 1.0)[0]:
                    break  # no credit for a second
                c.sock.setblocking(True)
                c.read()
                c.sock.setblocking(False)
            else:
                if not select.select([], [c.sock], [], 1.0)[1]:
                    break  # the socket stayed full for a second
                try:
                    off += c.sock.send(data[off:off + 65536])
                except BlockingIOError:
                    pass
        print('unheard-flood: the server stopped taking messages before all %d: %s'
              % (total, 'yes' if off < len(data) else 'no'), flush=True)
        time.sleep(2)  # the test measures the server, then lets its PHP listen
        c.sock.settimeout(20)
        c.send(data[off:])
        c.send(frame(TEXT, b'end'))
        m = c.message()
        print('unheard-flood: PHP got %s' % (m[1].decode() if m and m[0] == TEXT else repr(m)))
    elif scenario == 'tiny-fragments':
        # a message in one-byte frames, ARG of them: the assembly limit holds however it is cut
        n = int(arg)
        frames = [frame(BINARY, b'x', fin=False)] + [frame(CONT, b'x', fin=False)] * (n - 2) + [frame(CONT, b'x')]
        for i in range(0, n, 1000):
            try:
                c.send(b''.join(frames[i:i + 1000]))
            except (BrokenPipeError, ConnectionResetError):
                break
        c.expect_close('tiny-fragments')
    elif scenario.startswith('deflate-'):
        # permessage-deflate, offered through WS_HEADERS: RSV1 marks a compressed message
        def deflate(data):
            z = zlib.compressobj(6, zlib.DEFLATED, -15)
            return (z.compress(data) + z.flush(zlib.Z_SYNC_FLUSH))[:-4]
        if scenario == 'deflate-echo':
            text = ('compressible é ' * 200).encode()
            c.send(frame(TEXT, deflate(text), rsv=4))
            while len(c.buf) < 2:
                c.read()
            compressed = bool(c.buf[0] & 0x40)
            fin, op, payload = c.frame()
            got = zlib.decompressobj(-15).decompress(payload + b'\x00\x00\xff\xff') if compressed else payload
            print('deflate-echo: reply compressed %s, %d bytes for %d, %s' % (
                'yes' if compressed else 'no', len(payload), len(text), 'equal' if got == text else 'DIFFERENT'))
            c.send(frame(CLOSE, struct.pack('!H', 1000)))
            c.expect_close('deflate-echo')
        elif scenario == 'deflate-corrupt':
            c.send(frame(BINARY, b'\xff\xfe\xfd\xfc junk', rsv=4))
            c.expect_close('deflate-corrupt')
        elif scenario == 'deflate-rsv-continuation':
            c.send(frame(TEXT, deflate(b'part one ')[:3], fin=False, rsv=4))
            c.send(frame(CONT, b'x', rsv=4))
            c.expect_close('deflate-rsv-continuation')
        elif scenario == 'deflate-rsv-ping':
            c.send(frame(PING, b'p', rsv=4))
            c.expect_close('deflate-rsv-ping')
    elif scenario == 'status':
        pass
    else:
        raise SystemExit('unknown scenario ' + scenario)


def odd_connect(tls, port, path, protocol):
    """A CONNECT the server must refuse: plain (no :protocol: we are no proxy), or for another
    protocol than websocket. Prints the status it got."""
    sock = tlsclient.connect(port) if tls else socket.create_connection(('127.0.0.1', port), timeout=10)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(
        client_side=True, header_encoding='utf-8', validate_outbound_headers=False))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    # the server's SETTINGS first: a :protocol is legal only once it enabled them
    conn.receive_data(sock.recv(65536))
    headers = [(':method', 'CONNECT'), (':authority', '127.0.0.1:%d' % port)]
    if protocol:
        headers = [(':method', 'CONNECT'), (':protocol', protocol), (':scheme', 'https' if tls else 'http'),
                   (':path', path), (':authority', '127.0.0.1:%d' % port), ('sec-websocket-version', '13')]
    conn.send_headers(1, headers)
    sock.sendall(conn.data_to_send())
    while True:
        d = sock.recv(65536)
        if not d:
            print('connection closed')
            return
        for ev in conn.receive_data(d):
            if isinstance(ev, h2.events.ResponseReceived):
                print('status %s' % dict(ev.headers)[':status'])
                return
            if isinstance(ev, (h2.events.StreamReset, h2.events.ConnectionTerminated)):
                print('refused by %s' % type(ev).__name__)
                return
        sock.sendall(conn.data_to_send())


if __name__ == '__main__':
    proto, tls, port, path, scenario = sys.argv[1:6]
    arg = sys.argv[6] if len(sys.argv) > 6 else None
    if scenario in ('connect-plain', 'connect-protocol'):
        sys.stdout.write('%s%s: ' % (scenario, ' ' + arg if arg else ''))
        odd_connect(tls == 'tls', int(port), path, arg if scenario == 'connect-protocol' else None)
        sys.exit(0)
    extra = [tuple(h.split(': ', 1)) for h in os.environ.get('WS_HEADERS', '').split('\n') if h]
    c = Carrier(proto, tls == 'tls', int(port), path, extra)
    if c.status in (101, 200):
        run(c, scenario, arg)
