#!/usr/bin/python3
"""HTTP/2 through `openssl s_client`, which can ask for a TLS 1.3 KeyUpdate mid-connection.

Usage: keyupdate.py PORT SUITE ROUNDS PATH. Gets PATH, then ROUNDS times: has s_client send a
KeyUpdate with update_requested (its "K" command), so the server must answer with one of its
own and seal what follows under its next key, and gets PATH again. Each response is checked
against its x-sha1 header. Prints: SUITE exact|WRONG|... per response, then how many
KeyUpdates each side sent (from s_client's -msg trace)."""
import hashlib
import os
import select
import subprocess
import sys
import tempfile
import time

import h2.config
import h2.connection
import h2.events

port, suite, rounds, path = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
trace = tempfile.NamedTemporaryFile(suffix='.msg', delete=False).name
# -quiet keeps stdout to the decrypted bytes; -no_ign_eof keeps the "K" command working.
p = subprocess.Popen(['openssl', 's_client', '-connect', '127.0.0.1:%d' % port, '-servername', 'localhost',
                      '-alpn', 'h2', '-tls1_3', '-ciphersuites', suite, '-msg', '-msgfile', trace,
                      '-quiet', '-no_ign_eof'],
                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
c.initiate_connection()


def send(data):
    p.stdin.write(data)
    p.stdin.flush()


def get():
    sid = c.get_next_available_stream_id()
    c.send_headers(sid, [(':method', 'GET'), (':path', path), (':scheme', 'https'), (':authority', 'x')], end_stream=True)
    send(c.data_to_send())
    body, sha, deadline = b'', None, time.time() + 10
    while time.time() < deadline:
        if not select.select([p.stdout], [], [], 0.5)[0]:
            continue
        data = os.read(p.stdout.fileno(), 65536)
        if not data:
            return 'connection-ended'
        for ev in c.receive_data(data):
            if isinstance(ev, h2.events.ResponseReceived) and ev.stream_id == sid:
                sha = dict(ev.headers).get(b'x-sha1', b'').decode()
            elif isinstance(ev, h2.events.DataReceived) and ev.stream_id == sid:
                body += ev.data
                c.acknowledge_received_data(ev.flow_controlled_length, sid)
            elif isinstance(ev, h2.events.StreamEnded) and ev.stream_id == sid:
                send(c.data_to_send())
                return 'exact' if hashlib.sha1(body).hexdigest() == sha else 'WRONG'
        send(c.data_to_send())
    return 'timeout'


out = [get()]
for _ in range(rounds):
    # s_client takes "K" as a command only when it arrives as a read of its own.
    time.sleep(0.3)
    send(b'K\n')
    time.sleep(0.3)
    out.append(get())
p.stdin.close()
try:
    p.wait(5)
except subprocess.TimeoutExpired:
    p.kill()
with open(trace) as f:
    msgs = f.read()
os.unlink(trace)
print(suite, ' '.join(out), 'client-keyupdates=%d server-keyupdates=%d'
      % (msgs.count('>>> TLS 1.3, Handshake [length 0005], KeyUpdate'),
         msgs.count('<<< TLS 1.3, Handshake [length 0005], KeyUpdate')))
