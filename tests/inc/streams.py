#!/usr/bin/python3
"""One HTTP/2 connection carrying several requests at once, timed: what a browser, a gRPC
client or a proxy in front does. Prints one JSON object.

Usage: streams.py PORT [--ping-at MS] [--then PATH] PATH...
  Sends a GET for every PATH at once on one TLS connection; with --ping-at, a PING that many
  ms later (its ACK timed from when it was sent); once every stream has ended, a GET for the
  --then PATH on the same connection. Each stream is reported with its status or reset code
  and the ms from the start to its end; "open" says whether the connection still answered a
  PING at the end. Runs under Debian's /usr/bin/python3 (python3-h2)."""
import json
import socket
import sys
import time

import h2.events

from h2peer import connect, request_headers


def main():
    args = sys.argv[1:]
    port = int(args.pop(0))
    ping_at = None
    then = None
    while args and args[0].startswith('--'):
        opt = args.pop(0)
        if opt == '--ping-at':
            ping_at = float(args.pop(0)) / 1000
        elif opt == '--then':
            then = args.pop(0)
    sock, conn = connect(port)
    start = time.time()
    streams = {}
    for path in args:
        sid = conn.get_next_available_stream_id()
        conn.send_headers(sid, request_headers(port, 'GET', path), end_stream=True)
        streams[sid] = {'path': path, 'body': b''}
    sock.sendall(conn.data_to_send())
    report = {'streams': [], 'ping_ms': None, 'open': False}
    ping_sent = None
    final_ping = False
    pending = set(streams)
    sock.settimeout(0.01)
    deadline = start + 20
    while time.time() < deadline:
        now = time.time()
        if ping_at is not None and ping_sent is None and now - start >= ping_at:
            conn.ping(b'timeping')
            sock.sendall(conn.data_to_send())
            ping_sent = now
        if not pending:
            if then is not None:
                sid = conn.get_next_available_stream_id()
                conn.send_headers(sid, request_headers(port, 'GET', then), end_stream=True)
                streams[sid] = {'path': then, 'body': b''}
                pending.add(sid)
                then = None
            elif not final_ping:
                conn.ping(b'lastping')
                final_ping = True
            sock.sendall(conn.data_to_send())
        try:
            data = sock.recv(65536)
        except (socket.timeout, TimeoutError):
            continue
        except OSError:
            break
        if not data:
            break
        for ev in conn.receive_data(data):
            t = round((time.time() - start) * 1000)
            if isinstance(ev, h2.events.ResponseReceived):
                streams[ev.stream_id]['status'] = int(dict(ev.headers)[':status'])
            elif isinstance(ev, h2.events.DataReceived):
                streams[ev.stream_id]['body'] += ev.data
                conn.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            elif isinstance(ev, h2.events.StreamEnded):
                streams[ev.stream_id]['ms'] = t
                pending.discard(ev.stream_id)
            elif isinstance(ev, h2.events.StreamReset):
                streams[ev.stream_id]['reset'] = ev.error_code.name
                streams[ev.stream_id]['ms'] = t
                pending.discard(ev.stream_id)
            elif isinstance(ev, h2.events.PingAckReceived):
                if ev.ping_data == b'timeping':
                    report['ping_ms'] = round((time.time() - ping_sent) * 1000)
                else:
                    report['open'] = True
            elif isinstance(ev, h2.events.ConnectionTerminated):
                report['goaway'] = ev.error_code.name
        out = conn.data_to_send()
        if out:
            sock.sendall(out)
        if report['open']:
            break
    for sid in sorted(streams):
        s = streams[sid]
        s['body'] = s['body'].decode('utf-8', 'replace')
        report['streams'].append(s)
    print(json.dumps(report))


if __name__ == '__main__':
    main()
