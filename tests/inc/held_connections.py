#!/usr/bin/python3
"""N connections opened one after the other and held idle, then one request on each at once.

Usage: held_connections.py PORT N PATH. Prints the response bodies in connection order, then
the seconds from the first request to the last response."""
import select
import sys
import time

import h2.config
import h2.connection
import h2.events

import tlsclient

port, n, path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
conns = []
for _ in range(n):
    s = tlsclient.connect(port)
    c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
    c.initiate_connection()
    s.sendall(c.data_to_send())
    conns.append((s, c))
time.sleep(0.2)  # every connection is open and idle before any request
start = time.time()
for s, c in conns:
    c.send_headers(1, [(':method', 'GET'), (':path', path), (':scheme', 'https'), (':authority', 'x')], end_stream=True)
    s.sendall(c.data_to_send())
bodies, done = [b''] * n, set()
while len(done) < n and time.time() - start < 10:
    ready, _, _ = select.select([s for s, _ in conns], [], [], 1)
    for s in ready:
        i = [x for x, _ in conns].index(s)
        c = conns[i][1]
        data = s.recv(65536)
        if not data:
            done.add(i)
            continue
        for ev in c.receive_data(data):
            if isinstance(ev, h2.events.DataReceived):
                bodies[i] += ev.data
            elif isinstance(ev, h2.events.StreamEnded):
                done.add(i)
        s.sendall(c.data_to_send())
print(' '.join(b.decode() or '-' for b in bodies), '%.3f' % (time.time() - start))
