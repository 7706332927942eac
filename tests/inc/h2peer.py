#!/usr/bin/python3
"""Raw HTTP/2 peer for h2srv tests: does what a normal client would not, prints what it saw.

Usage: h2peer.py PORT SCENARIO [ARGS]. Runs under Debian's /usr/bin/python3 (python3-h2)."""
import random
import select
import socket
import sys
import time

import h2.config
import h2.connection
import h2.events
import h2.exceptions
import h2.settings

import tlsclient


def connect(port):
    sock = tlsclient.connect(port)
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding='utf-8'))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return sock, conn


def request_headers(port, method, path, extra=()):
    return [(':method', method), (':path', path), (':scheme', 'https'),
            (':authority', '127.0.0.1:%d' % port)] + list(extra)


def pump(sock, conn, until, timeout=10.0):
    """Reads and reports events until until(events_so_far) is true or the connection ends."""
    seen = []
    deadline = time.time() + timeout
    while not until(seen) and time.time() < deadline:
        try:
            data = sock.recv(65536)
        except socket.timeout:
            break
        if not data:
            seen.append('eof')
            break
        for ev in conn.receive_data(data):
            seen.append(ev)
            if isinstance(ev, h2.events.DataReceived):
                conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
    return seen


def describe(ev):
    if isinstance(ev, h2.events.ResponseReceived):
        return 'stream %d: status %s' % (ev.stream_id, dict(ev.headers)[':status'])
    if isinstance(ev, h2.events.StreamReset):
        return 'stream %d: reset %s' % (ev.stream_id, ev.error_code.name)
    if isinstance(ev, h2.events.ConnectionTerminated):
        return 'goaway %s last_stream_id=%d' % (ev.error_code.name, ev.last_stream_id)
    return None


def body_limit(port, limit):
    """Sends a body past max_body_size on stream 1, then a GET on the same connection."""
    sock, conn = connect(port)
    conn.send_headers(1, request_headers(port, 'POST', '/upload'))
    sent = 0
    chunk = b'x' * 16384
    credited = 0
    events = []
    while sent < 4 * limit:
        try:
            conn.send_data(1, chunk)
        except (h2.exceptions.StreamClosedError, h2.exceptions.FlowControlError):
            break
        sent += len(chunk)
        sock.sendall(conn.data_to_send())
        sock.settimeout(0.01)
        events += pump(sock, conn, lambda s: False, timeout=0.01)
        sock.settimeout(10)
        if any(isinstance(e, h2.events.StreamReset) for e in events):
            break
    events += pump(sock, conn, lambda s: any(isinstance(e, h2.events.StreamReset) for e in s), timeout=3)
    for ev in events:
        if isinstance(ev, h2.events.WindowUpdated) and ev.stream_id == 1:
            credited += ev.delta
    conn.send_headers(3, request_headers(port, 'GET', '/after'), end_stream=True)
    sock.sendall(conn.data_to_send())
    events += pump(sock, conn, lambda s: any(isinstance(e, h2.events.StreamEnded) and e.stream_id == 3 for e in s))
    for ev in events:
        line = describe(ev)
        if line:
            print(line)
        if isinstance(ev, h2.events.DataReceived) and ev.stream_id == 3:
            print('stream 3: body %s' % ev.data.decode())
    print('stream 1 window credited beyond the limit: %s' % ('no' if credited <= limit else 'yes (%d)' % credited))
    sock.close()


def get_body(sock, conn, port, path):
    conn.send_headers(1, request_headers(port, 'GET', path), end_stream=True)
    sock.sendall(conn.data_to_send())
    events = pump(sock, conn, lambda s: any(isinstance(e, h2.events.StreamEnded) for e in s))
    return b''.join(e.data for e in events if isinstance(e, h2.events.DataReceived))


def resumed(port, path, port2=None, delay=0.0):
    """GET |path| on a first TLS 1.3 connection, then, |delay| seconds later and with the first
    still open, on a second (to |port2| if given) that offers the first one's session; prints
    both bodies, one per line, and whether the client saw the second one resumed."""
    ctx = tlsclient.context()
    session, held = None, []
    for i, p in enumerate([port, port2 or port]):
        if i == 1:
            time.sleep(delay)
        raw = socket.create_connection(('127.0.0.1', p), timeout=10)
        sock = ctx.wrap_socket(raw, server_hostname='localhost', session=session)
        conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        conn.initiate_connection()
        sock.sendall(conn.data_to_send())
        print(get_body(sock, conn, p, path).decode(), flush=True)  # the caller may act on it
        session = sock.session  # the ticket came with the response
        if i == 1:
            print('client saw it resumed: %s' % sock.session_reused)
        held.append(sock)
    for sock in held:
        sock.close()


def connect_plain(port, rcvbuf=0):
    """An h2c connection; |rcvbuf| sets a small receive buffer, so that an unread socket backs up
    the server soon."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if rcvbuf:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, rcvbuf)
    sock.settimeout(10)
    sock.connect(('127.0.0.1', port))
    conn = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding='utf-8'))
    conn.initiate_connection()
    sock.sendall(conn.data_to_send())
    return sock, conn


def reset_as_taken(port, n, path):
    """|n| requests for |path| on h2c, each reset 0 to 300 us after it was sent, which is about
    when a worker takes it; a new connection whenever the server ends one (its reset budget).
    Prints how many were sent."""
    rng = random.Random(1)
    plain = lambda: connect_plain(port)  # noqa: E731

    sock, conn = plain()
    sent = 0
    while sent < n:
        try:
            sid = conn.get_next_available_stream_id()
            conn.send_headers(sid, [(':method', 'GET'), (':scheme', 'http'), (':path', path), (':authority', 'x')],
                              end_stream=True)
            sock.sendall(conn.data_to_send())
            until = time.perf_counter() + rng.random() * 0.0003
            while time.perf_counter() < until:
                pass
            conn.reset_stream(sid, 8)
            sock.sendall(conn.data_to_send())
            sent += 1
            while select.select([sock], [], [], 0)[0]:
                data = sock.recv(1 << 20)
                if not data:
                    raise OSError('closed')
                conn.receive_data(data)
                sock.sendall(conn.data_to_send())
        except (OSError, h2.exceptions.H2Error):
            sock.close()
            sock, conn = plain()
    sock.close()
    print('reset-as-taken: %d sent' % sent)


def fetch_all(sock, conn, sids, timeout):
    """Reads until every stream of |sids| ended (crediting what comes); returns their bodies."""
    bodies = {sid: bytearray() for sid in sids}
    ended = set()

    def done(events):
        for ev in events[len(done.seen):]:
            if isinstance(ev, h2.events.DataReceived) and ev.stream_id in bodies:
                bodies[ev.stream_id] += ev.data
            elif isinstance(ev, (h2.events.StreamEnded, h2.events.StreamReset)) and ev.stream_id in bodies:
                ended.add(ev.stream_id)
        done.seen = list(events)
        return len(ended) == len(sids)
    done.seen = []
    pump(sock, conn, done, timeout)
    return {sid: bytes(b) for sid, b in bodies.items() if sid in ended}


def send_gets(sock, conn, n):
    """Sends GET /0 to /|n-1| on |conn|; returns {stream id: N}."""
    sids = {}
    for i in range(n):
        sid = conn.get_next_available_stream_id()
        conn.send_headers(sid, [(':method', 'GET'), (':scheme', 'http'), (':path', '/%d' % i), (':authority', 'x')],
                          end_stream=True)
        sids[sid] = i
    sock.sendall(conn.data_to_send())
    return sids


def unread_beside(port, n_slow, n_fast, size):
    """A peer that asks for |n_slow| bodies of |size| bytes with its windows wide open and reads
    nothing, then, on a second connection, |n_fast| more read as they come: prints whether those
    came within 10 s, then reads the first connection and says whether every body came whole (the body of
    /N is N's letter, a to z, repeated)."""
    slow, sconn = connect_plain(port, rcvbuf=4096)
    sconn.update_settings({h2.settings.SettingCodes.INITIAL_WINDOW_SIZE: 2**31 - 1})
    sconn.increment_flow_control_window(2**31 - 1 - 65535)
    want = send_gets(slow, sconn, n_slow)
    time.sleep(1.0)  # the server writes what the sockets take; the rest of the bodies stay held
    fast, fconn = connect_plain(port)
    t0 = time.time()
    fwant = send_gets(fast, fconn, n_fast)
    got = fetch_all(fast, fconn, list(fwant), 30)
    took = time.time() - t0
    whole = lambda bodies, ids: sum(1 for sid, b in bodies.items()  # noqa: E731
                                    if b == bytes([97 + ids[sid] % 26]) * size)
    print('beside the unread connection: %d of %d bodies whole, %s' % (
        whole(got, fwant), n_fast, 'in under 10 s' if took < 10 else 'after %.1f s' % took))
    got = fetch_all(slow, sconn, list(want), 30)
    print('the unread connection, read at last: %d of %d bodies whole' % (whole(got, want), n_slow))


if __name__ == '__main__':
    port = int(sys.argv[1])
    scenario = sys.argv[2]
    if scenario == 'body-limit':
        body_limit(port, int(sys.argv[3]))
    elif scenario == 'resumed':
        resumed(port, sys.argv[3], int(sys.argv[4]) if len(sys.argv) > 4 and sys.argv[4] != '-' else None,
                float(sys.argv[5]) if len(sys.argv) > 5 else 0.0)
    elif scenario == 'reset-as-taken':
        reset_as_taken(port, int(sys.argv[3]), sys.argv[4])
    elif scenario == 'unread-beside':
        unread_beside(port, int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
    else:
        sys.exit('unknown scenario ' + scenario)
