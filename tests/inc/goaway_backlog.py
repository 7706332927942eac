#!/usr/bin/python3
"""A connection error in the middle of a read, while the server's output is backed up.

Usage: goaway_backlog.py PORT PATH. Asks for PATH (a large body) with huge flow-control windows
and a small receive buffer, and reads nothing, so the server's output backs up. Then sends, in
one TCP segment, a TLS record holding a DATA frame on a stream id it skipped (a connection error,
STREAM_CLOSED, that h2srv finds before nghttp2 does) and a record holding a PING; 0.3 s later another record with a PING. Then it
reads everything until the server closes. Prints what ended the connection:
  goaway=CODE|none tls=close_notify|eof|ALERT-OR-ERROR
"""
import socket
import ssl
import struct
import sys
import time

DATA, HEADERS, SETTINGS, PING, GOAWAY, WINDOW_UPDATE = 0, 1, 4, 6, 7, 8
CODES = ['NO_ERROR', 'PROTOCOL_ERROR', 'INTERNAL_ERROR', 'FLOW_CONTROL_ERROR', 'SETTINGS_TIMEOUT', 'STREAM_CLOSED']


def frame(ftype, flags, sid, payload=b''):
    return struct.pack('>I', len(payload))[1:] + struct.pack('>BBI', ftype, flags, sid) + payload


def hpack_get(path):
    # Literal header fields without indexing, new names: no HPACK state needed.
    out = b''
    for k, v in ((b':method', b'GET'), (b':scheme', b'https'), (b':authority', b'x'), (b':path', path.encode())):
        out += b'\x00' + bytes([len(k)]) + k + bytes([len(v)]) + v
    return out


port, path = int(sys.argv[1]), sys.argv[2]
ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
ctx.set_alpn_protocols(['h2'])
inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
tls = ctx.wrap_bio(inc, out, server_hostname='localhost')
sock = socket.socket()
sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 16384)
sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
sock.settimeout(10)
sock.connect(('127.0.0.1', port))
while True:
    try:
        tls.do_handshake()
        break
    except ssl.SSLWantReadError:
        sock.sendall(out.read())
        inc.write(sock.recv(65536))
sock.sendall(out.read())

big = 2 ** 31 - 1
tls.write(b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' + frame(SETTINGS, 0, 0, struct.pack('>HI', 4, big))
          + frame(WINDOW_UPDATE, 0, 0, struct.pack('>I', big - 65535)) + frame(HEADERS, 5, 1, hpack_get(path))
          + frame(HEADERS, 5, 5, hpack_get(path)))  # stream 3 skipped: closed (RFC 9113 §5.1.1)
sock.sendall(out.read())
time.sleep(1.0)  # the response fills both sockets' buffers and the server's queue

tls.write(frame(DATA, 0, 3, b'x'))       # DATA on the skipped stream: a connection error
tls.write(frame(PING, 0, 0, b'12345678'))  # a second record in the same segment
sock.sendall(out.read())
time.sleep(0.3)
tls.write(frame(PING, 0, 0, b'87654321'))
sock.sendall(out.read())
time.sleep(0.3)

plain, end, deadline = b'', 'eof', time.time() + 20
while time.time() < deadline:
    try:
        data = sock.recv(1 << 20)
    except (ConnectionResetError, socket.timeout) as e:
        end = type(e).__name__
        break
    if not data:
        break
    inc.write(data)
    try:
        while chunk := tls.read(1 << 20):
            plain += chunk
        end = 'close_notify'  # read() gives b'' once the peer's close_notify is in
    except ssl.SSLWantReadError:
        pass
    except ssl.SSLZeroReturnError:
        end = 'close_notify'
        break
    except ssl.SSLError as e:
        end = e.reason or str(e)
        break
    # Keep only what may hold an unfinished frame, and any GOAWAY seen.
    while len(plain) >= 9:
        n = int.from_bytes(plain[:3], 'big')
        if len(plain) < 9 + n:
            break
        if plain[3] == GOAWAY:
            code = struct.unpack('>I', plain[13:17])[0]
            goaway = CODES[code] if code < len(CODES) else 'code%d' % code
            print('goaway=%s' % goaway, end=' ')
        plain = plain[9 + n:]
    if end == 'close_notify':
        break
print('tls=%s' % end)
