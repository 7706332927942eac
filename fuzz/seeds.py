#!/usr/bin/python3
"""Writes the seed corpora for the fuzz targets: fuzz/corpus/h2 (client frames after the
preface, behind one knob byte), fuzz/corpus/h1 (HTTP/1.1 requests, behind one knob byte) and
fuzz/corpus/tls (real ClientHellos, behind one chunk-size
byte) and fuzz/corpus/ws (WebSocket client frames, behind a chunk size and a limit). Run once by hand when the seeds should change; the output is committed."""
import os
import ssl
import struct

import hpack

HERE = os.path.dirname(os.path.abspath(__file__))


def frame(ftype, flags, sid, payload=b''):
    return struct.pack('>I', len(payload))[1:] + struct.pack('>BBI', ftype, flags, sid) + payload


class FreshEncoder:
    """Each seed is a new connection, so each gets an HPACK encoder with an empty table."""
    def encode(self, fields):
        return hpack.Encoder().encode(fields)


def h2_seeds():
    enc = FreshEncoder()
    get = [(':method', 'GET'), (':path', '/'), (':scheme', 'https'), (':authority', 'a')]
    post = [(':method', 'POST'), (':path', '/up'), (':scheme', 'https'), (':authority', 'a'),
            ('content-length', '5'), ('cookie', 'a=1'), ('cookie', 'b=2')]
    ack = frame(4, 1, 0)
    yield 'get', b'\x00' + ack + frame(1, 5, 1, enc.encode(get))
    yield 'get-drain-big', b'\x8f' + ack + frame(1, 5, 1, enc.encode(get)) + frame(1, 5, 3, enc.encode(get))
    yield 'post', b'\x21' + ack + frame(1, 4, 1, enc.encode(post)) + frame(0, 1, 1, b'hello')
    block = enc.encode(get + [('x-long', 'v' * 300)])
    yield 'continuation', b'\x43' + ack + frame(1, 1, 5, block[:100]) + frame(9, 4, 5, block[100:])
    yield 'trailers', b'\x02' + ack + frame(1, 4, 7, enc.encode(post)) + frame(0, 0, 7, b'hello') \
        + frame(1, 5, 7, enc.encode([('x-trailer', 't')]))
    yield 'control', b'\x05' + ack + frame(6, 0, 0, b'12345678') + frame(8, 0, 0, struct.pack('>I', 1000)) \
        + frame(2, 0, 9, struct.pack('>IB', 0, 15)) + frame(1, 5, 9, enc.encode(get)) \
        + frame(3, 0, 9, struct.pack('>I', 8)) + frame(7, 0, 0, struct.pack('>II', 0, 0))
    yield 'closed-streams', b'\x00' + ack + frame(1, 4, 1, enc.encode(post)) + frame(3, 0, 1, struct.pack('>I', 8)) \
        + frame(0, 1, 1, b'late') + frame(1, 5, 7, enc.encode(get)) + frame(0, 1, 5, b'x') + frame(0, 1, 7, b'y')
    yield 'window', b'\x8a' + frame(4, 0, 0, struct.pack('>HI', 4, 100)) + ack + frame(1, 5, 11, enc.encode(get)) \
        + frame(8, 0, 11, struct.pack('>I', 70000)) + frame(8, 0, 0, struct.pack('>I', 70000))


def client_hello(tls12):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    ctx.set_alpn_protocols(['h2', 'http/1.1'])
    if tls12:
        ctx.maximum_version = ssl.TLSVersion.TLSv1_2
    inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
    obj = ctx.wrap_bio(inc, out, server_hostname='localhost')
    try:
        obj.do_handshake()
    except ssl.SSLWantReadError:
        pass
    return out.read()


def op(code, data=b''):
    """One step of tls_fuzz.c's client script."""
    return bytes([code, len(data)]) + data


def tls_seeds():
    yield 'hello13', b'\x7f' + client_hello(False)
    yield 'hello12', b'\x7f' + client_hello(True)
    yield 'hello13-split', b'\x03' + client_hello(False)
    preface = b'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n' + frame(4, 0, 0)
    talk = op(0, preface) + op(5, frame(4, 1, 0)) + op(4) + op(0, b'x' * 200) + op(6)
    yield 'client13', b'\x80' + talk
    yield 'client12', b'\xc0' + talk
    yield 'client13-damage', b'\x80' + op(0, preface) + op(1, b'\x07hello\x03') + op(0, b'late')
    # A key update and 0, 5 or 20 bytes of the next record in one read, into a sealing server.
    for cut in (0, 5, 20):
        yield 'client13-seal-keyupdate-split%d' % cut, b'\xa0' + op(0, preface) + op(5, b'x' * 40) \
            + op(4, bytes([cut]) + b'k' * 60) + op(5, b'after' * 8) + op(0, b'more')
    yield 'client13-split', b'\x80' + op(3, b'y' * 250) + op(7, b'z' * 40) + op(2, b'\x17\x03\x03\x00\x05junk')


def h1_seeds():
    get = b'GET /a?b=1 HTTP/1.1\r\nHost: x\r\nUser-Agent: u\r\n\r\n'
    yield 'get', b'\x00' + get
    yield 'pipeline', b'\x10' + get * 70
    yield 'post', b'\x08' + b'POST /u HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTE: trailers\r\n\r\nhello' + get
    yield 'chunked', b'\x41' + b'POST /u HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n' \
        b'Expect: 100-continue\r\n\r\n5;e=1\r\nhello\r\n0\r\nX-T: 1\r\n\r\n' + get
    yield 'http10', b'\x20' + b'GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\nHEAD / HTTP/1.0\r\n\r\n'
    yield 'absolute', b'\x30' + b'OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\nGET http://h:1/p HTTP/1.1\r\nHost: y\r\n\r\n'
    yield 'smuggle', b'\x04' + b'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'
    yield 'fold', b'\x00' + b'GET / HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n'
    yield 'upgrade', b'\x00' + b'GET / HTTP/1.1\r\nHost: x\r\nConnection: upgrade\r\nUpgrade: h2c\r\n\r\n' + get


def ws_frame(op, payload=b'', fin=True, mask=b'\x01\x02\x03\x04'):
    n = len(payload)
    hdr = bytes([(0x80 if fin else 0) | op])
    hdr += bytes([0x80 | n]) if n < 126 else bytes([0x80 | 126]) + struct.pack('!H', n)
    return hdr + mask + bytes(b ^ mask[i & 3] for i, b in enumerate(payload))


def ws_seeds():
    """Client frames behind two bytes: the chunk size, and the message limit (64 bytes a unit)."""
    yield 'text', b'\x03\x10' + ws_frame(1, 'héllo'.encode()) + ws_frame(2, bytes(range(200)))
    yield 'fragments', b'\x00\x10' + ws_frame(1, b'he', fin=False) + ws_frame(9, b'p') \
        + ws_frame(0, '\u20ac'.encode()[:2], fin=False) + ws_frame(0, '\u20ac'.encode()[2:])
    yield 'close', b'\x07\x01' + ws_frame(10, b'pong') + ws_frame(8, struct.pack('!H', 1000) + b'bye')
    yield 'big', b'\x0f\x02' + ws_frame(2, b'x' * 300)


for name, seeds in (('h2', h2_seeds()), ('h1', h1_seeds()), ('tls', tls_seeds()), ('ws', ws_seeds())):
    d = os.path.join(HERE, 'corpus', name)
    os.makedirs(d, exist_ok=True)
    for fname, data in seeds:
        with open(os.path.join(d, fname), 'wb') as f:
            f.write(data)
