#!/usr/bin/python3
"""RFC 9113 / RFC 7541 cases section by section, the way h2spec walks them.

Usage: spec.py PORT [h2c]. Each case runs on a fresh connection against a server whose handler
answers "ok" (or 8 MiB for /big). After the case's frames the peer sends a PING; it then reads
until the connection closes or that PING is acknowledged, plus a short grace, and prints
  CASE: GOAWAY(code) RST_STREAM(code) :status N PING-ACK [extra]
so that a stream error (RST_STREAM, the connection still answers the PING) is told apart from a
connection error (GOAWAY, no PING-ACK). Runs under /usr/bin/python3.
"""
import struct
import sys

import rawpeer
from rawpeer import (CONTINUATION, DATA, END_HEADERS, END_STREAM, GOAWAY, HEADERS, PING,
                     PRIORITY, RST_STREAM, SETTINGS, WINDOW_UPDATE, Peer, closed, frame)

PADDED, PRIORITY_FLAG, ACK = 0x8, 0x20, 0x1
SENTINEL = b'sentinel'
BASE = [(':method', 'GET'), (':scheme', 'https'), (':authority', 'localhost')]
CASES = []


def case(name, settings=b'', preface=rawpeer.PREFACE):
    def reg(fn):
        CASES.append((name, settings, preface, fn))
        return fn
    return reg


def block(p, fields):
    return p.enc.encode(fields)


def get(p, path='/'):
    return block(p, BASE + [(':path', path)])


def post(p, sid, extra=()):
    """An open POST stream: HEADERS with END_HEADERS and without END_STREAM."""
    fields = [(':method', 'POST'), (':scheme', 'https'), (':authority', 'localhost'), (':path', '/')]
    return frame(HEADERS, END_HEADERS, sid, block(p, fields + list(extra)))


def wu(sid, n):
    return frame(WINDOW_UPDATE, 0, sid, struct.pack('>I', n))


def rst(sid, code=8):
    return frame(RST_STREAM, 0, sid, struct.pack('>I', code))


def setting(ident, value):
    return struct.pack('>HI', ident, value)


# 3.5 HTTP/2 connection preface

@case('3.5 invalid preface', preface=b'INVALID CONNECTION PREFACE\r\n\r\n')
def _(p):
    pass


# 4.1 Frame format

@case('4.1 unknown frame type is ignored')
def _(p):
    p.send(frame(0x16, 0, 0, b'x' * 8))


@case('4.1 undefined flags are ignored')
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS | 0x16 & ~PADDED, 1, get(p)))


@case('4.1 reserved bit of the stream id is ignored')
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1 | 0x80000000, get(p)))


# 4.2 Frame size

@case('4.2 DATA of 16384 octets')
def _(p):
    p.send(post(p, 1) + frame(DATA, END_STREAM, 1, b'x' * 16384))


@case('4.2 DATA over SETTINGS_MAX_FRAME_SIZE')
def _(p):
    p.send(post(p, 1) + frame(DATA, END_STREAM, 1, b'x' * 16385))


# 4.3 Header compression and decompression

@case('4.3 PRIORITY inside a header block')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, END_STREAM, 1, b[:2]) + frame(PRIORITY, 0, 1, struct.pack('>IB', 0, 15))
           + frame(CONTINUATION, END_HEADERS, 1, b[2:]))


@case('4.3 HEADERS of another stream inside a header block')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, END_STREAM, 1, b[:2]) + frame(HEADERS, END_STREAM | END_HEADERS, 3, get(p)))


# 5.1 Stream states

@case('5.1 idle: WINDOW_UPDATE')
def _(p):
    p.send(wu(1, 100))


@case('5.1 half-closed (remote): DATA')
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, get(p)) + frame(DATA, END_STREAM, 1, b'x'))


@case('5.1 half-closed (remote): HEADERS')
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, get(p)) + frame(HEADERS, END_STREAM | END_HEADERS, 1, get(p)))


@case('5.1 half-closed (remote): CONTINUATION')
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, get(p)) + frame(CONTINUATION, END_HEADERS, 1, get(p)))


@case('5.1 closed: DATA after RST_STREAM')
def _(p):
    p.send(post(p, 1) + rst(1) + frame(DATA, END_STREAM, 1, b'x'))


@case('5.1 closed: HEADERS after RST_STREAM')
def _(p):
    p.send(post(p, 1) + rst(1) + frame(HEADERS, END_STREAM | END_HEADERS, 1, get(p)))


def answered_then(p, sid, then):
    """A GET on |sid|; once it is answered, the frames then(p) returns."""
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, sid, get(p)))
    p.read(lambda q: sid in q.stream_status, 3)
    p.send(then(p))


@case('5.1 closed: DATA after the stream ended')
def _(p):
    answered_then(p, 1, lambda p: frame(DATA, END_STREAM, 1, b'x'))


@case('5.1 closed: HEADERS after the stream ended')
def _(p):
    answered_then(p, 1, lambda p: frame(HEADERS, END_STREAM | END_HEADERS, 1, get(p)))


@case('5.1 closed by our RST_STREAM: what crosses it is ignored')
def _(p):
    p.send(post(p, 1, [('X-Upper', 'v')]))
    p.read(lambda q: q.resets, 3)
    p.send(frame(DATA, 0, 1, b'in flight') + frame(HEADERS, END_STREAM | END_HEADERS, 1, block(p, [('x-t', 'v')])))


# 5.1.1 Stream identifiers

@case('5.1.1 HEADERS on an id skipped over')
def _(p):
    answered_then(p, 5, lambda p: frame(HEADERS, END_STREAM | END_HEADERS, 3, get(p)))


@case('5.1.1 DATA on an id skipped over')
def _(p):
    p.send(post(p, 5) + frame(DATA, END_STREAM, 3, b'x'))


# 5.1.2 Stream concurrency

@case('5.1.2 more streams than SETTINGS_MAX_CONCURRENT_STREAMS')
def _(p):
    p.send(b''.join(post(p, 1 + 2 * i) for i in range(129)))


# 5.3.1 Stream dependencies

@case('5.3.1 HEADERS depending on itself')
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS | PRIORITY_FLAG, 1, struct.pack('>IB', 1, 15) + get(p)))


# 5.5 Extending HTTP/2

@case('5.5 unknown frame inside a header block')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, END_STREAM, 1, b[:2]) + frame(0x16, 0, 1, b'x' * 8)
           + frame(CONTINUATION, END_HEADERS, 1, b[2:]))


# 6.1 DATA

@case('6.1 DATA on stream 0')
def _(p):
    p.send(frame(DATA, END_STREAM, 0, b'x'))


@case('6.1 DATA with padding longer than the payload')
def _(p):
    p.send(post(p, 1) + frame(DATA, END_STREAM | PADDED, 1, bytes([10]) + b'abc'))


@case('6.1 DATA with valid padding')
def _(p):
    p.send(post(p, 1) + frame(DATA, END_STREAM | PADDED, 1, bytes([4]) + b'abc' + b'\0' * 4))


# 6.2 HEADERS

@case('6.2 HEADERS on stream 0')
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 0, get(p)))


@case('6.2 HEADERS with padding longer than the payload')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, END_STREAM | END_HEADERS | PADDED, 1, bytes([len(b) + 5]) + b))


@case('6.2 HEADERS with valid padding and priority')
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS | PADDED | PRIORITY_FLAG, 1,
                 bytes([3]) + struct.pack('>IB', 0, 200) + get(p) + b'\0' * 3))


@case('6.2 DATA inside a header block')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, 0, 1, b[:2]) + frame(DATA, END_STREAM, 1, b'x'))


# 6.3 PRIORITY

@case('6.3 PRIORITY with weights, a dependency and the exclusive bit, before a request')
def _(p):
    p.send(frame(PRIORITY, 0, 3, struct.pack('>IB', 0, 0)) + frame(PRIORITY, 0, 5, struct.pack('>IB', 3, 255))
           + frame(PRIORITY, 0, 7, struct.pack('>IB', 0x80000000 | 3, 15))
           + frame(HEADERS, END_STREAM | END_HEADERS, 9, get(p)))


@case('6.3 PRIORITY on stream 0')
def _(p):
    p.send(frame(PRIORITY, 0, 0, struct.pack('>IB', 1, 15)))


@case('6.3 PRIORITY of the wrong length')
def _(p):
    p.send(frame(PRIORITY, 0, 1, struct.pack('>I', 0)))


@case('6.3 PRIORITY on an idle stream, then HEADERS on a lower one')
def _(p):
    p.send(frame(PRIORITY, 0, 5, struct.pack('>IB', 0, 15)) + frame(HEADERS, END_STREAM | END_HEADERS, 3, get(p)))


# 6.4 RST_STREAM

@case('6.4 RST_STREAM on stream 0')
def _(p):
    p.send(rst(0))


@case('6.4 RST_STREAM of the wrong length')
def _(p):
    p.send(post(p, 1) + frame(RST_STREAM, 0, 1, b'\0\0\0'))


# 6.5 SETTINGS

@case('6.5 SETTINGS ACK with a payload')
def _(p):
    p.send(frame(SETTINGS, ACK, 0, setting(0x4, 100)))


@case('6.5 SETTINGS_MAX_FRAME_SIZE below the minimum')
def _(p):
    p.send(frame(SETTINGS, 0, 0, setting(0x5, 16383)))


@case('6.5 SETTINGS_MAX_FRAME_SIZE above the maximum')
def _(p):
    p.send(frame(SETTINGS, 0, 0, setting(0x5, 16777216)))


@case('6.5 unknown setting is ignored and acknowledged')
def _(p):
    p.send(frame(SETTINGS, 0, 0, setting(0xff, 1)))
    return ['settings-acks=%d' % p.read(lambda q: q.settings_acks >= 2, 2).settings_acks]


# 6.7 PING

@case('6.7 PING is echoed')
def _(p):
    p.send(frame(PING, 0, 0, b'h2srv!!!'))
    return ['echo=%s' % (b'h2srv!!!' in p.read(lambda q: b'h2srv!!!' in q.ping_acks, 2).ping_acks)]


@case('6.7 PING with ACK gets no answer')
def _(p):
    p.send(frame(PING, ACK, 0, b'unasked!'))
    return ['acked-unasked=%s' % (b'unasked!' in p.ping_acks)]


# 6.8 GOAWAY

@case('6.8 GOAWAY on a stream')
def _(p):
    p.send(frame(GOAWAY, 0, 1, struct.pack('>II', 0, 0)))


# 6.9 WINDOW_UPDATE

@case('6.9 WINDOW_UPDATE on the connection and on a stream')
def _(p):
    p.send(wu(0, 1000) + post(p, 1) + wu(1, 1000) + frame(DATA, END_STREAM, 1, b'x'))


@case('6.9 WINDOW_UPDATE of 0 on a stream')
def _(p):
    p.send(post(p, 1) + wu(1, 0))


@case('6.9.1 stream window past 2^31-1')
def _(p):
    p.send(post(p, 1) + wu(1, 0x7fffffff))


@case('6.9.2 SETTINGS_INITIAL_WINDOW_SIZE raised mid-stream', settings=setting(0x4, 1))
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, get(p, '/big')))
    p.read(lambda q: q.data >= 1, 3)
    p.send(frame(SETTINGS, 0, 0, setting(0x4, 100)))
    return ['data=%d' % p.read(lambda q: q.data >= 100, 3).data]


@case('6.9.2 SETTINGS_INITIAL_WINDOW_SIZE makes a window negative', settings=setting(0x4, 100))
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, get(p, '/big')))
    p.read(lambda q: q.data >= 100, 3)
    p.send(frame(SETTINGS, 0, 0, setting(0x4, 1)))
    p.read(lambda q: False, 0.3)
    sent = p.data  # nothing more: the window is 1 - 100
    p.send(wu(1, 100))
    return ['data=%d+%d' % (sent, p.read(lambda q: q.data > sent, 3).data - sent)]


# 6.10 CONTINUATION

@case('6.10 HEADERS and two CONTINUATIONs')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, END_STREAM, 1, b[:2]) + frame(CONTINUATION, 0, 1, b[2:4])
           + frame(CONTINUATION, END_HEADERS, 1, b[4:]))


@case('6.10 CONTINUATION followed by another frame')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, 0, 1, b[:2]) + frame(CONTINUATION, 0, 1, b[2:4]) + frame(DATA, END_STREAM, 1, b'x'))


@case('6.10 CONTINUATION on stream 0')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, END_STREAM, 1, b[:2]) + frame(CONTINUATION, END_HEADERS, 0, b[2:]))


@case('6.10 CONTINUATION after END_HEADERS')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, b) + frame(CONTINUATION, END_HEADERS, 1, b''))


@case('6.10 CONTINUATION after a CONTINUATION with END_HEADERS')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, END_STREAM, 1, b[:2]) + frame(CONTINUATION, END_HEADERS, 1, b[2:])
           + frame(CONTINUATION, END_HEADERS, 1, b''))


@case('6.10 CONTINUATION after DATA')
def _(p):
    p.send(post(p, 1) + frame(DATA, 0, 1, b'x') + frame(CONTINUATION, END_HEADERS, 1, b''))


@case('6.10 CONTINUATION for another stream')
def _(p):
    b = get(p)
    p.send(frame(HEADERS, END_STREAM, 1, b[:2]) + frame(CONTINUATION, END_HEADERS, 3, b[2:]))


# 7 Error codes

@case('7 RST_STREAM with an unknown error code')
def _(p):
    p.send(post(p, 1) + rst(1, 0xff))


# 8.1 HTTP request/response exchange

@case('8.1 POST with trailers')
def _(p):
    p.send(post(p, 1) + frame(DATA, 0, 1, b'body') + frame(HEADERS, END_STREAM | END_HEADERS, 1,
                                                           block(p, [('x-trailer', 'v')])))


@case('8.1 second HEADERS without END_STREAM')
def _(p):
    p.send(post(p, 1) + frame(DATA, 0, 1, b'body') + frame(HEADERS, END_HEADERS, 1, block(p, [('x-trailer', 'v')])))


@case('8.1 pseudo-header in trailers')
def _(p):
    p.send(post(p, 1) + frame(DATA, 0, 1, b'body') + frame(HEADERS, END_STREAM | END_HEADERS, 1,
                                                           block(p, [(':method', 'POST')])))


@case('8.1 HEAD request')
def _(p):
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, block(p, BASE[1:] + [(':method', 'HEAD'), (':path', '/')])))
    return ['data=%d' % p.read(lambda q: False, 0.3).data]


def request_case(name, fields):
    """A request whose whole header block is |fields|, in one HEADERS with END_STREAM."""
    @case(name)
    def _(p):
        p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, block(p, fields)))


for name, fields in (
    ('8.1.2.1 :status in a request', BASE + [(':path', '/'), (':status', '200')]),
    ('8.1.2.2 transfer-encoding header', BASE + [(':path', '/'), ('transfer-encoding', 'chunked')]),
    ('8.1.2.2 upgrade header', BASE + [(':path', '/'), ('upgrade', 'h2c')]),
    ('8.1.2.3 no :method', BASE[1:] + [(':path', '/')]),
    ('8.1.2.3 no :scheme', [BASE[0], BASE[2], (':path', '/')]),
    ('8.1.2.3 two :path', BASE + [(':path', '/'), (':path', '/')]),
    ('8.1.2.3 two :scheme', BASE + [(':path', '/'), (':scheme', 'https')]),
):
    request_case(name, fields)


@case('8.1.2.6 content-length against two DATA frames')
def _(p):
    p.send(post(p, 1, [('content-length', '1')]) + frame(DATA, 0, 1, b'a') + frame(DATA, END_STREAM, 1, b'b'))


# RFC 7541 HPACK

@case('hpack every field representation (indexed, literal with and without indexing, never indexed, Huffman)')
def _(p):
    fields = (b'\x82\x87\x84'                        # indexed: :method GET, :scheme https, :path /
              + b'\x41\x09localhost'                  # literal with indexing, indexed name :authority
              + b'\x40\x03x-a\x01a'                  # literal with indexing, new name
              + b'\x0f\x2b\x03abc'                   # literal without indexing, indexed name user-agent
              + b'\x00\x03x-b\x01b'                  # literal without indexing, new name
              + b'\x10\x03x-c\x01c'                  # never indexed, new name
              + b'\x40\x83\xf2\xb4\x9f\x81\x93'      # literal with indexing, Huffman: x-d: d
              + b'\xbf')                              # indexed from the dynamic table: x-a: a
    p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, fields))


def hpack_case(name, before, after):
    """A GET whose header block has raw HPACK bytes before or after its fields."""
    @case(name)
    def _(p):
        p.send(frame(HEADERS, END_STREAM | END_HEADERS, 1, before + get(p) + after))


for name, before, after in (
    ('hpack index past the tables', b'', b'\xc6'),
    ('hpack index 0', b'', b'\x80'),
    ('hpack table size update above SETTINGS_HEADER_TABLE_SIZE', b'\x3f\xe2\x1f', b''),
    ('hpack table size update to 0 before the fields', b'\x20', b''),
    ('hpack table size update after a field', b'', b'\x20'),
    # A literal without indexing, name user-agent (index 58), Huffman-coded value:
    ('hpack Huffman string with EOS', b'', b'\x0f\x2b\x84\xff\xff\xff\xff'),
    ('hpack Huffman padding longer than 7 bits', b'', b'\x0f\x2b\x82\x1f\xff'),
    ('hpack Huffman padding of zeros', b'', b'\x0f\x2b\x81\x18'),
):
    hpack_case(name, before, after)


def run(port):
    for name, settings, preface, fn in CASES:
        p = Peer(port, settings=settings, preface=preface)
        p.read(lambda q: q.settled or closed(q), 2)
        extra = fn(p) or []
        p.send(frame(PING, 0, 0, SENTINEL))
        p.read(lambda q: closed(q) or SENTINEL in q.ping_acks, 3)
        if not closed(p):
            p.read(lambda q: closed(q), 0.2)  # a reset may follow the PING's ACK
        what = ['GOAWAY(%s)' % p.goaway] if p.goaway else []
        what += ['RST_STREAM(%s)' % c for c in sorted(p.resets)]
        what += [':status %s' % s for s in sorted(p.statuses)]
        what += ['PING-ACK'] if SENTINEL in p.ping_acks else []
        what += ['closed'] if p.eof and not p.goaway else []
        print('%s: %s' % (name, ' '.join(what + extra) or 'nothing'), flush=True)


if __name__ == '__main__':
    rawpeer.CLEARTEXT = sys.argv[2:] == ['h2c']
    run(int(sys.argv[1]))
