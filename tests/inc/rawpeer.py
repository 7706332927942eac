#!/usr/bin/python3
"""A hostile HTTP/2 peer for h2srv's abuse and conformance tests.

Usage: rawpeer.py PORT SCENARIO [ARG]. Frames are built by hand (so they can be wrong on
purpose) and HPACK comes from Debian's python3-hpack. Prints one line of what the server did:
  goaway=CODE|none last=N resets=CODE:COUNT,... statuses=STATUS:COUNT,... eof=0|1 secs=S
and scenario-specific key=value pairs. Runs under /usr/bin/python3.
"""
import socket
import ssl
import struct
import sys
import time

import hpack

import tlsclient

DATA, HEADERS, PRIORITY, RST_STREAM, SETTINGS, PUSH_PROMISE, PING, GOAWAY, WINDOW_UPDATE, CONTINUATION = range(10)
END_STREAM, ACK, END_HEADERS = 0x1, 0x1, 0x4
CODES = ['NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT',
         'STREAM_CLOSED', 'FRAME_SIZE_ERROR', 'REFUSED_STREAM', 'CANCEL', 'COMPRESSION_ERROR',
         'CONNECT_ERROR', 'ENHANCE_YOUR_CALM', 'INADEQUATE_SECURITY', 'HTTP_1_1_REQUIRED']
PREFACE = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'


def frame(ftype, flags, sid, payload=b''):
    return struct.pack('>I', len(payload))[1:] + struct.pack('>BBI', ftype, flags, sid) + payload


def client_context():
    """TLS for a test peer: ALPN h2, the self-signed test certificate accepted."""
    return tlsclient.context()


def code_name(c):
    return CODES[c] if c < len(CODES) else 'code%d' % c


# Set by a scenario named "h2c:NAME": every peer speaks cleartext HTTP/2 (prior knowledge).
CLEARTEXT = False


class Peer:
    def __init__(self, port, settings=b'', tls=True, preface=PREFACE):
        self.port = port
        raw = socket.create_connection(('127.0.0.1', port), timeout=10)
        if tls and not CLEARTEXT:
            raw = client_context().wrap_socket(raw, server_hostname='localhost')
        self.sock = raw
        self.enc = hpack.Encoder()
        self.dec = hpack.Decoder()
        self.dec.max_allowed_table_size = 65536
        self.buf = b''
        self.goaway = None
        self.last = -1
        self.resets = {}
        self.statuses = {}
        self.stream_status = {}
        self.data = 0
        self.eof = False
        self.pings = 0
        self.ping_acks = []
        self.settings_acks = 0
        self.hblock = b''
        self.settled = False
        self.start = time.time()
        self.goaway_at = None
        self.send(preface + frame(SETTINGS, 0, 0, settings))

    def send(self, data):
        try:
            self.sock.sendall(data)
            return True
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            self.eof = True
            return False

    def headers(self, sid, path='/', method='GET', extra=(), end_stream=True):
        block = self.enc.encode([(':method', method), (':path', path), (':scheme', 'https'),
                                 (':authority', 'localhost')] + list(extra))
        return frame(HEADERS, END_HEADERS | (END_STREAM if end_stream else 0), sid, block)

    def on_frame(self, ftype, flags, sid, payload):
        if ftype == GOAWAY:
            last, code = struct.unpack('>II', payload[:8])
            if self.goaway is None:
                self.goaway, self.last = code_name(code), last & 0x7fffffff
                self.goaway_at = time.time()
        elif ftype == RST_STREAM:
            name = code_name(struct.unpack('>I', payload)[0])
            self.resets[name] = self.resets.get(name, 0) + 1
        elif ftype in (HEADERS, CONTINUATION):
            if ftype == HEADERS and flags & 0x8:
                payload = payload[1:len(payload) - payload[0]]
            if ftype == HEADERS and flags & 0x20:
                payload = payload[5:]
            self.hblock += payload
            if flags & END_HEADERS:
                for name, value in self.dec.decode(self.hblock):
                    if name in (':status', b':status'):
                        st = value.decode() if isinstance(value, bytes) else value
                        self.statuses[st] = self.statuses.get(st, 0) + 1
                        self.stream_status[sid] = st
                self.hblock = b''
        elif ftype == DATA:
            self.data += len(payload)
        elif ftype == PING and not flags & ACK:
            self.pings += 1
        elif ftype == PING:
            self.ping_acks.append(payload)
        elif ftype == SETTINGS and not flags & ACK:
            self.send(frame(SETTINGS, ACK, 0))
            self.settled = True
        elif ftype == SETTINGS:
            self.settings_acks += 1

    def read(self, until=lambda p: False, timeout=5.0):
        """Reads frames until until(self) holds, the peer closes, or |timeout| passes."""
        deadline = time.time() + timeout
        while not self.eof and not until(self) and time.time() < deadline:
            self.sock.settimeout(max(0.01, min(0.5, deadline - time.time())))
            try:
                chunk = self.sock.recv(65536)
            except socket.timeout:
                continue
            except (ConnectionResetError, ssl.SSLError, OSError):
                chunk = b''
            if not chunk:
                self.eof = True
                break
            self.buf += chunk
            while len(self.buf) >= 9:
                n = struct.unpack('>I', b'\0' + self.buf[:3])[0]
                if len(self.buf) < 9 + n:
                    break
                ftype, flags, sid = struct.unpack('>BBI', self.buf[3:9])
                payload, self.buf = self.buf[9:9 + n], self.buf[9 + n:]
                self.on_frame(ftype, flags, sid & 0x7fffffff, payload)
        return self

    def report(self, **extra):
        fields = [
            'goaway=%s' % (self.goaway or 'none'),
            'last=%d' % self.last,
            'resets=%s' % (','.join('%s:%d' % kv for kv in sorted(self.resets.items())) or 'none'),
            'statuses=%s' % (','.join('%s:%d' % kv for kv in sorted(self.statuses.items())) or 'none'),
            'eof=%d' % int(self.eof),
            'secs=%.2f' % ((self.goaway_at or time.time()) - self.start),
        ] + ['%s=%s' % kv for kv in extra.items()]
        print(' '.join(fields), flush=True)


def closed(p):
    return p.goaway is not None or p.eof


def ok_request(port):
    """A normal request on a fresh connection: the status, or 'failed'."""
    p = Peer(port)
    p.send(p.headers(1, '/ok'))
    p.read(lambda q: 1 in q.stream_status, 5)
    return p.stream_status.get(1, 'failed')


# ---- abuse scenarios -------------------------------------------------------------------------

def rapid_reset(port, n, complete=True):
    """HEADERS+RST_STREAM pairs; with complete=False the requests never end (no END_STREAM),
    so no handler can be reached however the burst is split into reads."""
    p = Peer(port)
    burst = b''.join(p.headers(1 + 2 * i, '/rr', end_stream=complete)
                     + frame(RST_STREAM, 0, 1 + 2 * i, struct.pack('>I', 8)) for i in range(n))
    p.send(burst)
    p.read(closed, 5)
    p.report(other=ok_request(port))


def continuation_flood(port, kind):
    p = Peer(port)
    block = p.enc.encode([(':method', 'GET'), (':path', '/cf'), (':scheme', 'https'), (':authority', 'x')])
    p.send(frame(HEADERS, 0, 1, block[:5]))
    piece = b'' if kind == 'empty' else b'\x40\x03abc\x03xyz' * 1000
    sent = 0
    while sent < 100000 and not p.eof:
        if not p.send(frame(CONTINUATION, 0, 1, piece) * 10):
            break
        sent += 10
        p.read(closed, 0.001)
    p.read(closed, 5)
    p.report(sent=sent)


def hpack_bomb(port, refs):
    p = Peer(port)
    big = 'b' * 4000
    # Literal with incremental indexing puts the 4 KB field in the table (index 62) ...
    p.send(p.headers(1, '/seed', extra=[('x-big', big)]))
    p.read(lambda q: 1 in q.stream_status, 5)
    # ... and each 0xBE byte refers to it again: a few KB on the wire, megabytes decoded.
    # Static-table fields only (GET, https, "/", authority not indexed), so that the big entry
    # stays at index 62 and our encoder's table stays in step with the server's.
    block = b'\x82\x87\x84\x01\x01x' + b'\xbe' * refs
    chunks = [block[i:i + 16000] for i in range(0, len(block), 16000)]
    out = frame(HEADERS, END_STREAM | (END_HEADERS if len(chunks) == 1 else 0), 3, chunks[0])
    for i, c in enumerate(chunks[1:], 1):
        out += frame(CONTINUATION, END_HEADERS if i == len(chunks) - 1 else 0, 3, c)
    p.send(out)
    p.read(lambda q: 3 in q.stream_status or closed(q), 5)
    bomb = p.stream_status.get(3, 'none')
    p.send(p.headers(5, '/after'))
    p.read(lambda q: 5 in q.stream_status or closed(q), 5)
    p.report(seed=p.stream_status.get(1, 'none'), bomb=bomb, after=p.stream_status.get(5, 'none'))


def made_you_reset(port, n):
    """Valid requests made invalid by the peer (a WINDOW_UPDATE that overflows the stream's
    window), so that the server itself resets them."""
    p = Peer(port)
    burst = b''.join(p.headers(1 + 2 * i, '/myr', end_stream=False)
                     + frame(WINDOW_UPDATE, 0, 1 + 2 * i, struct.pack('>I', 0x7fffffff)) for i in range(n))
    p.send(burst)
    p.read(closed, 5)
    p.report()


def ping_flood(port, n, read):
    p = Peer(port)
    sent = 0
    while sent < n and not p.eof:
        if not p.send(frame(PING, 0, 0, b'12345678') * 100):
            break
        sent += 100
        if read:
            p.read(closed, 0.001)
    p.read(closed, 5)
    p.report(sent=sent, acks=p.pings)


def junk(port, kind, n):
    p = Peer(port)
    if kind == 'data':
        p.send(p.headers(1, '/junk', method='POST', end_stream=False))
        one = frame(DATA, 0, 1)
    elif kind == 'priority':
        one = frame(PRIORITY, 0, 1, struct.pack('>IB', 0, 15))
    elif kind == 'settings':
        one = frame(SETTINGS, 0, 0)
    else:
        one = frame(0xf0, 0, 0, b'junk')
    sent = 0
    while sent < n and not p.eof:
        if not p.send(one * 1000):
            break
        sent += 1000
        p.read(closed, 0.001)
    p.read(closed, 5)
    p.report(sent=sent)


def huge_settings(port, entries):
    p = Peer(port)
    p.send(frame(SETTINGS, 0, 0, struct.pack('>HI', 0x4, 65535) * entries))
    p.read(closed, 5)
    p.report()


def stall_headers(port):
    """A header block that never ends: the stream is reset, then the connection goes idle."""
    p = Peer(port)
    p.read(lambda q: q.settled, 5)  # our SETTINGS ACK must not land inside the header block
    block = p.enc.encode([(':method', 'GET'), (':path', '/stall'), (':scheme', 'https'), (':authority', 'x')])
    p.send(frame(HEADERS, END_STREAM, 1, block))
    p.read(closed, 30)
    p.report()


def stall_body(port):
    """A POST whose body never comes: reset at read_timeout (CANCEL)."""
    p = Peer(port)
    p.send(p.headers(1, '/stall', method='POST', end_stream=False) + frame(DATA, 0, 1, b'x' * 10))
    p.read(lambda q: q.resets or closed(q), 30)
    p.report()


def zero_window(port, path):
    """Asks for a response with a stream window of 0 and never opens it."""
    p = Peer(port, settings=struct.pack('>HI', 0x4, 0))
    p.send(p.headers(1, path))
    p.read(closed, 30)
    p.report(data=p.data)


def no_read(port, path):
    """Asks for a large response and never reads: the server's socket fills up."""
    p = Peer(port)
    p.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    p.send(p.headers(1, path))
    start = time.time()
    # Wait for the server to give up: our sends of PING fail or a final recv sees EOF.
    while time.time() - start < 30:
        time.sleep(0.5)
        try:
            p.sock.settimeout(0.1)
            p.sock.send(frame(WINDOW_UPDATE, 0, 0, struct.pack('>I', 1)))
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError, OSError):
            break
        except socket.timeout:
            pass
    secs = time.time() - start
    p.read(closed, 3)
    print('closed_after=%.1f eof=%d' % (secs, int(p.eof)), flush=True)


KINDS = ('no-hello', 'no-preface', 'idle', 'partial-headers')


def slowloris(port, n):
    """n connections that stop early, in turn: no ClientHello at all; the TLS handshake and
    nothing more; the preface and SETTINGS and nothing more (idle); half a header block. Waits
    for the server to close them all; prints how many it closed and, per kind, when the last
    one went (seconds after they were all open)."""
    import select
    kind_of = {}
    for i in range(n):
        kind = KINDS[i % len(KINDS)]
        raw = socket.create_connection(('127.0.0.1', port), timeout=10)
        if kind != 'no-hello' and not CLEARTEXT:
            raw = client_context().wrap_socket(raw, server_hostname='localhost')
        if kind == 'idle':
            raw.sendall(PREFACE + frame(SETTINGS, 0, 0) + frame(SETTINGS, ACK, 0))
        elif kind == 'partial-headers':
            block = hpack.Encoder().encode([(':method', 'GET'), (':path', '/'), (':scheme', 'https')])
            raw.sendall(PREFACE + frame(SETTINGS, 0, 0) + frame(SETTINGS, ACK, 0) + frame(HEADERS, 0, 1, block))
        raw.setblocking(False)
        kind_of[raw] = kind
    start = time.time()
    open_ = set(kind_of)
    last = dict.fromkeys(KINDS, 0.0)
    while open_ and time.time() - start < 30:
        ready, _, _ = select.select(list(open_), [], [], 0.5)
        for s in ready:
            try:
                data = s.recv(65536)
            except (ssl.SSLWantReadError, BlockingIOError):
                continue
            except (ConnectionResetError, ssl.SSLError, OSError):
                data = b''
            if not data:
                open_.discard(s)
                last[kind_of[s]] = time.time() - start
    print('closed=%d of=%d last_secs=%.1f %s' % (n - len(open_), n, max(last.values()),
          ' '.join('%s=%.2f' % (k, last[k]) for k in KINDS)), flush=True)


def not_tls(port, what):
    """Sends a cleartext HTTP/2 preface or garbage to the TLS port; prints when it was closed."""
    raw = socket.create_connection(('127.0.0.1', port), timeout=10)
    start = time.time()
    raw.sendall(PREFACE + frame(SETTINGS, 0, 0) if what == 'preface' else bytes(range(256)) * 4)
    got = b''
    while time.time() - start < 10:
        try:
            chunk = raw.recv(65536)
        except (ConnectionResetError, OSError):
            break
        if not chunk:
            break
        got += chunk
    alert = len(got) >= 7 and got[0] == 0x15
    print('closed_after=%.1f alert=%d' % (time.time() - start, int(alert)), flush=True)


# ---- conformance -----------------------------------------------------------------------------

def conformance(port):
    """Each case on a fresh connection; prints CASE: what the server answered."""
    def hb(p, fields):
        return p.enc.encode(fields)

    base = [(':method', 'GET'), (':scheme', 'https'), (':authority', 'x')]
    cases = []

    def case(name):
        def reg(fn):
            cases.append((name, fn))
            return fn
        return reg

    @case('data-on-idle-stream')
    def _(p):
        p.send(frame(DATA, END_STREAM, 1, b'x'))

    @case('even-stream-id')
    def _(p):
        p.send(p.headers(2, '/'))

    # RFC 9113 §5.1.1: stream 3 was skipped when 5 opened, so HEADERS on it is a PROTOCOL_ERROR.
    @case('stream-id-backwards')
    def _(p):
        p.send(p.headers(5, '/'))
        p.read(lambda q: 5 in q.stream_status, 3)
        p.send(p.headers(3, '/'))

    @case('frame-too-large')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, hb(p, base + [(':path', '/')]) + b'\0' * 16384))

    @case('missing-path')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, hb(p, base)))

    @case('empty-path')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, hb(p, base + [(':path', '')])))

    @case('duplicate-method')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, hb(p, base + [(':path', '/'), (':method', 'GET')])))

    @case('unknown-pseudo-header')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, hb(p, base + [(':path', '/'), (':foo', 'x')])))

    @case('pseudo-after-regular')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1,
                     hb(p, [(':method', 'GET'), ('x-a', 'b'), (':path', '/'), (':scheme', 'https')])))

    @case('connection-header')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, hb(p, base + [(':path', '/'), ('connection', 'close')])))

    @case('te-not-trailers')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, hb(p, base + [(':path', '/'), ('te', 'gzip')])))

    @case('te-trailers')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, hb(p, base + [(':path', '/'), ('te', 'trailers')])))

    @case('uppercase-header-name')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, hb(p, base + [(':path', '/'), ('X-Upper', 'v')])))

    @case('content-length-mismatch')
    def _(p):
        p.send(p.headers(1, '/', method='POST', extra=[('content-length', '10')], end_stream=False)
               + frame(DATA, END_STREAM, 1, b'x' * 20))

    @case('window-update-overflow')
    def _(p):
        p.send(frame(WINDOW_UPDATE, 0, 0, struct.pack('>I', 0x7fffffff)))

    @case('window-update-zero-on-connection')
    def _(p):
        p.send(frame(WINDOW_UPDATE, 0, 0, struct.pack('>I', 0)))

    @case('settings-bad-window')
    def _(p):
        p.send(frame(SETTINGS, 0, 0, struct.pack('>HI', 0x4, 0x80000000)))

    @case('settings-bad-push')
    def _(p):
        p.send(frame(SETTINGS, 0, 0, struct.pack('>HI', 0x2, 2)))

    @case('settings-bad-length')
    def _(p):
        p.send(frame(SETTINGS, 0, 0, b'\0\0\0'))

    @case('settings-on-stream')
    def _(p):
        p.send(frame(SETTINGS, 0, 1, b''))

    @case('ping-bad-length')
    def _(p):
        p.send(frame(PING, 0, 0, b'1234567'))

    @case('ping-on-stream')
    def _(p):
        p.send(frame(PING, 0, 1, b'12345678'))

    @case('window-update-bad-length')
    def _(p):
        p.send(frame(WINDOW_UPDATE, 0, 0, b'\0\0\0'))

    @case('push-promise-from-client')
    def _(p):
        p.send(frame(PUSH_PROMISE, END_HEADERS, 1, struct.pack('>I', 2) + hb(p, base + [(':path', '/')])))

    @case('continuation-without-headers')
    def _(p):
        p.send(frame(CONTINUATION, END_HEADERS, 1, hb(p, base + [(':path', '/')])))

    @case('bad-hpack')
    def _(p):
        p.send(frame(HEADERS, END_HEADERS | END_STREAM, 1, b'\xff\xff\xff\xff\xff'))

    @case('rst-on-idle-stream')
    def _(p):
        p.send(frame(RST_STREAM, 0, 1, struct.pack('>I', 8)))

    @case('self-dependency')
    def _(p):
        p.send(frame(PRIORITY, 0, 1, struct.pack('>IB', 1, 15)))

    for name, fn in cases:
        p = Peer(port)
        p.read(lambda q: '_' in q.__dict__, 0.05)
        fn(p)
        p.read(lambda q: closed(q) or q.resets or (q.statuses and name != 'stream-id-backwards'), 1.5)
        what = []
        if p.goaway:
            what.append('GOAWAY(%s)' % p.goaway)
        what += ['RST_STREAM(%s)' % c for c in sorted(p.resets)]
        what += [':status %s' % s for s in sorted(p.statuses)]
        print('%s: %s' % (name, ' '.join(what) or ('closed' if p.eof else 'nothing')), flush=True)


def main():
    global CLEARTEXT
    port, scenario, args = int(sys.argv[1]), sys.argv[2], sys.argv[3:]
    if scenario.startswith('h2c:'):
        CLEARTEXT, scenario = True, scenario[4:]
    n = int(args[0]) if args and args[0].isdigit() else 0
    {
        'rapid-reset': lambda: rapid_reset(port, n),
        'rapid-reset-open': lambda: rapid_reset(port, n, False),
        'continuation-flood': lambda: continuation_flood(port, args[0]),
        'hpack-bomb': lambda: hpack_bomb(port, n),
        'made-you-reset': lambda: made_you_reset(port, n),
        'ping-flood-read': lambda: ping_flood(port, n, True),
        'ping-flood-unread': lambda: ping_flood(port, n, False),
        'junk': lambda: junk(port, args[0], int(args[1])),
        'huge-settings': lambda: huge_settings(port, n),
        'stall-headers': lambda: stall_headers(port),
        'stall-body': lambda: stall_body(port),
        'zero-window': lambda: zero_window(port, args[0]),
        'no-read': lambda: no_read(port, args[0]),
        'conformance': lambda: conformance(port),
        'slowloris': lambda: slowloris(port, n),
        'not-tls': lambda: not_tls(port, args[0]),
    }[scenario]()


if __name__ == '__main__':
    main()
