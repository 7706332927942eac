"""Raw HTTP/1.1 bytes against an h2srv port, for what curl will not send.

  h1raw.py PORT smuggle TLSPORT    every malformed request below, each followed in the same
                                   write by a valid one that must never be answered; then the
                                   HTTP/2 preface over TLS with ALPN http/1.1 on TLSPORT
  h1raw.py PORT pipeline N         N GETs written at once; the answers must come in order
  h1raw.py PORT continue           Expect: 100-continue: the 100 comes before the body is sent
  h1raw.py PORT deferred           /deferred (answered later by a timer) pipelined before /p1
                                   (answered at once): the answers still come in that order
  h1raw.py PORT drip SECONDS       headers one byte every 200 ms (slowloris): how it ends
"""
import socket
import ssl
import sys
import time

import tlsclient

port = int(sys.argv[1])
mode = sys.argv[2]
SMUGGLED = b"GET /smuggled HTTP/1.1\r\nHost: x\r\n\r\n"


def connect(tls=False):
    s = tlsclient.connect(int(sys.argv[3]), ["http/1.1"]) if tls else socket.create_connection(("127.0.0.1", port))
    s.settimeout(3)
    return s


def read_all(s, until_closed=True):
    """Everything until the server closes (or 3 s pass): (bytes, closed)."""
    data = b""
    try:
        while True:
            d = s.recv(65536)
            if not d:
                return data, True
            data += d
    except (socket.timeout, ssl.SSLError):
        return data, False
    except ConnectionResetError:
        return data, "reset"


def chunked(body_lines):
    return b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + body_lines


CASES = [
    ("cl-and-te", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ("te-and-cl", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n"),
    ("cl-differing", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"),
    ("cl-repeated", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc"),
    ("cl-list", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3, 3\r\n\r\nabc"),
    ("cl-plus", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: +3\r\n\r\nabc"),
    ("cl-negative", b"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: -3\r\n\r\nabc"),
    ("te-identity", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\nabc"),
    ("te-chunked-not-last", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n"),
    ("te-gzip", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n0\r\n\r\n"),
    ("te-xchunked", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: xchunked\r\n\r\n0\r\n\r\n"),
    ("te-twice", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ("space-before-colon", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding : chunked\r\n\r\n0\r\n\r\n"),
    ("obs-fold", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\r\n b\r\n\r\n"),
    ("obs-fold-te", b"POST / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding:\r\n chunked\r\n\r\n0\r\n\r\n"),
    ("bare-lf-field", b"GET / HTTP/1.1\r\nHost: x\nX-A: a\r\n\r\n"),
    ("bare-cr-field", b"GET / HTTP/1.1\r\nHost: x\rX-A: a\r\n\r\n"),
    ("bare-lf-request-line", b"GET / HTTP/1.1\nHost: x\r\n\r\n"),
    ("two-spaces", b"GET  / HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("http10-chunked", b"POST / HTTP/1.0\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n"),
    ("no-host", b"GET / HTTP/1.1\r\nX-A: a\r\n\r\n"),
    ("two-hosts", b"GET / HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n"),
    ("chunk-size-junk", chunked(b"3x\r\nabc\r\n0\r\n\r\n")),
    ("chunk-size-negative", chunked(b"-3\r\nabc\r\n0\r\n\r\n")),
    ("chunk-size-overflow", chunked(b"fffffffffffffffff\r\nabc\r\n0\r\n\r\n")),
    ("chunk-no-crlf", chunked(b"3\r\nabcX\r\n0\r\n\r\n")),
    ("chunk-ext-bad", chunked(b"3;\x01\r\nabc\r\n0\r\n\r\n")),
    ("chunk-ext-space", chunked(b"3 ;x\r\nabc\r\n0\r\n\r\n")),
    ("ctl-in-target", b"GET /a\x01b HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("space-in-target", b"GET /a b HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("tab-in-target", b"GET /a\tb HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("nul-in-value", b"GET / HTTP/1.1\r\nHost: x\r\nX-A: a\x00b\r\n\r\n"),
    ("space-in-name", b"GET / HTTP/1.1\r\nHost: x\r\nX A: a\r\n\r\n"),
    ("userinfo-target", b"GET http://u@x/ HTTP/1.1\r\nHost: x\r\n\r\n"),
    ("version-2", b"GET / HTTP/2.0\r\nHost: x\r\n\r\n"),
    ("version-1.2", b"GET / HTTP/1.2\r\nHost: x\r\n\r\n"),
    ("connect", b"CONNECT x:443 HTTP/1.1\r\nHost: x:443\r\n\r\n"),
    ("garbage", b"\x16\x03\x01\x00\x05hello\r\n\r\n"),
]


def smuggle():
    for name, raw in CASES:
        s = connect()
        s.sendall(raw + SMUGGLED)
        data, closed = read_all(s)
        s.close()
        status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/1.1 ") else "none"
        print(f"{name}: {status} responses={data.count(b'HTTP/1.1 ')} closed={closed}")
    # Over TLS with ALPN http/1.1, the HTTP/2 preface is no request.
    s = connect(tls=True)
    s.sendall(b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n" + SMUGGLED)
    data, closed = read_all(s)
    status = data.split(b" ", 2)[1].decode() if data.startswith(b"HTTP/1.1 ") else "none"
    print(f"h2-preface-over-http1: {status} responses={data.count(b'HTTP/1.1 ')} closed={closed}")


def pipeline(n):
    s = connect()
    s.sendall(b"".join(b"GET /p%d HTTP/1.1\r\nHost: x\r\n\r\n" % i for i in range(n)))
    data = b""
    deadline = time.time() + 20
    while data.count(b"HTTP/1.1 200") < n and time.time() < deadline:
        d = s.recv(65536)
        if not d:
            break
        data += d
    import re
    paths = re.findall(rb"path=(/p\d+)", data)
    ok = paths == [b"/p%d" % i for i in range(n)]
    print(f"pipeline: {len(paths)} answered, in order={ok}")


def expect_continue():
    s = connect()
    s.sendall(b"POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n")
    first = s.recv(65536)
    print("before the body:", first.split(b"\r\n")[0].decode())
    s.sendall(b"hello")
    data = b""
    while b"\r\n\r\n" not in data or not data.endswith(b"\n"):
        d = s.recv(65536)
        if not d:
            break
        data += d
    print("after the body:", data.split(b"\r\n")[0].decode(), "|", data.split(b"\r\n\r\n", 1)[1].decode().strip())


def deferred():
    s = connect()
    s.sendall(b"GET /deferred HTTP/1.1\r\nHost: x\r\n\r\nGET /p1 HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while data.count(b"HTTP/1.1 200") < 2 or not data.endswith(b"\n"):
        d = s.recv(65536)
        if not d:
            break
        data += d
    import re
    print("deferred then immediate:", " then ".join(x.decode() for x in re.findall(rb"path=(/\w+)", data)))


def drip(seconds):
    s = connect()
    raw = b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 1000
    start = time.time()
    sent = 0
    try:
        while time.time() - start < seconds:
            s.sendall(raw[sent:sent + 1])
            sent += 1
            s.settimeout(0.2)
            try:
                d = s.recv(65536)
                took = time.time() - start
                print(f"drip: answered {d.split(b' ', 2)[1].decode() if d else 'EOF'} after {took:.0f} s")
                return
            except socket.timeout:
                pass
    except (BrokenPipeError, ConnectionResetError):
        print(f"drip: cut after {time.time() - start:.0f} s")
        return
    print("drip: never cut")


if mode == "smuggle":
    smuggle()
elif mode == "pipeline":
    pipeline(int(sys.argv[3]))
elif mode == "continue":
    expect_continue()
elif mode == "deferred":
    deferred()
elif mode == "drip":
    drip(float(sys.argv[3]))
