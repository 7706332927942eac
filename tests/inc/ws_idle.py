#!/usr/bin/python3
"""Holds many idle WebSockets over few HTTP/2 connections (RFC 8441): opens CONNS connections
with PER extended CONNECT streams each, says "open N" once all are accepted, keeps them (answering
pings) until stdin closes, then drops the connections.

Usage: ws_idle.py PORT CONNS PER"""
import os
import select
import socket
import struct
import sys

import h2.config
import h2.connection
import h2.events

port, nconns, per = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
conns = []
accepted = 0
for _ in range(nconns):
    s = socket.create_connection(('127.0.0.1', port), timeout=30)
    c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True, header_encoding='utf-8'))
    c.local_settings.max_concurrent_streams = 100
    c.initiate_connection()
    s.sendall(c.data_to_send())
    conns.append((s, c))

pending = {}


def pong(c, sid, data):
    """Answers the server's keepalive pings (whole frames: they are tiny) with masked pongs."""
    buf = pending.get(sid, b'') + data
    while len(buf) >= 2 and len(buf) >= 2 + (buf[1] & 0x7f):
        op, n = buf[0] & 0x0f, buf[1] & 0x7f
        payload, buf = buf[2:2 + n], buf[2 + n:]
        if op == 9:
            key = os.urandom(4)
            c.send_data(sid, struct.pack('!BB', 0x8A, 0x80 | n) + key + bytes(b ^ key[i & 3] for i, b in enumerate(payload)))
    pending[sid] = buf


def pump(s, c):
    global accepted
    data = s.recv(1 << 20)
    if not data:
        raise SystemExit('server closed a connection')
    for ev in c.receive_data(data):
        if isinstance(ev, h2.events.ResponseReceived) and dict(ev.headers)[':status'] == '200':
            accepted += 1
        elif isinstance(ev, h2.events.DataReceived):
            c.acknowledge_received_data(ev.flow_controlled_length, ev.stream_id)
            pong(c, ev.stream_id, ev.data)
    out = c.data_to_send()
    if out:
        s.sendall(out)

# the server's SETTINGS first (RFC 8441 §3), then every stream
for s, c in conns:
    pump(s, c)
    for i in range(per):
        sid = c.get_next_available_stream_id()
        c.send_headers(sid, [(':method', 'CONNECT'), (':protocol', 'websocket'), (':scheme', 'http'), (':path', '/idle'),
                             (':authority', '127.0.0.1:%d' % port), ('sec-websocket-version', '13')])
        if i % 200 == 199:
            s.sendall(c.data_to_send())
    s.sendall(c.data_to_send())
while accepted < nconns * per:
    r, _, _ = select.select([s for s, _ in conns], [], [], 30)
    if not r:
        raise SystemExit('only %d accepted' % accepted)
    for s, c in conns:
        if s in r:
            pump(s, c)
print('open %d' % accepted, flush=True)
while True:
    r, _, _ = select.select([sys.stdin] + [s for s, _ in conns], [], [])
    if sys.stdin in r:
        break
    for s, c in conns:
        if s in r:
            pump(s, c)
for s, _ in conns:
    s.close()
