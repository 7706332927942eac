#!/usr/bin/python3
"""WebSocket echo bench (bench/ws.sh): 64-byte text messages, a fixed number in flight per
socket, against h2srv over HTTP/2 (RFC 8441 streams, h2c) and Node's ws over HTTP/1.1, pinned
apart, RUNS rounds each, alternating. Reports messages per second and server CPU per message
(user+system of the server process, from /proc), then their ratio.

Usage: ws.py H2SRV_SO RESULT_JSON   (env RUNS, SECONDS, SOCKETS, INFLIGHT; DISPATCH=request runs
h2srv as a reactor and a worker, its CPU summed over them)"""
import json
import os
import select
import socket
import struct
import subprocess
import sys
import time

import h2.config
import h2.connection
import h2.events
import h2.settings

SO, OUT = sys.argv[1], sys.argv[2]
RUNS = int(os.environ.get('RUNS', 3))
SECONDS = float(os.environ.get('SECONDS', 5))
SOCKETS = int(os.environ.get('SOCKETS', 100))
INFLIGHT = int(os.environ.get('INFLIGHT', 16))
HERE = os.path.dirname(os.path.abspath(__file__))
PAYLOAD = b'm' * 64
MASK = b'\x11\x22\x33\x44'
FRAME = struct.pack('!BB', 0x81, 0x80 | len(PAYLOAD)) + MASK + bytes(b ^ MASK[i & 3] for i, b in enumerate(PAYLOAD))
ECHO = 2 + len(PAYLOAD)  # an unmasked server frame


def cpu_seconds(pid):
    """User and system time of |pid| and its children (request dispatch: reactor and worker)."""
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    total = (int(fields[11]) + int(fields[12])) / os.sysconf('SC_CLK_TCK')
    try:
        with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
            total += sum(cpu_seconds(int(c)) for c in f.read().split())
    except OSError:
        pass
    return total


def wait_port(port):
    for _ in range(200):
        try:
            socket.create_connection(('127.0.0.1', port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise SystemExit('server did not start on %d' % port)


def run_h1(port, pid):
    socks = []
    for _ in range(SOCKETS):
        s = socket.create_connection(('127.0.0.1', port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.sendall(b'GET / HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
                  b'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n')
        head = b''
        while b'\r\n\r\n' not in head:
            head += s.recv(4096)
        assert head.startswith(b'HTTP/1.1 101'), head
        s.setblocking(False)
        socks.append(s)
    got = {s: 0 for s in socks}
    for s in socks:
        s.send(FRAME * INFLIGHT)
    cpu0, t0, echoed = cpu_seconds(pid), time.time(), 0
    while time.time() - t0 < SECONDS:
        r, _, _ = select.select(socks, [], [], 1)
        for s in r:
            n = len(s.recv(1 << 16))
            got[s] += n
            done = got[s] // ECHO
            got[s] -= done * ECHO
            echoed += done
            if done:
                s.send(FRAME * done)
    elapsed, cpu = time.time() - t0, cpu_seconds(pid) - cpu0
    for s in socks:
        s.close()
    return echoed, elapsed, cpu


def run_h2(port, pid):
    conns = []
    per = 100
    nconn = max(1, SOCKETS // per)
    for _ in range(nconn):
        s = socket.create_connection(('127.0.0.1', port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        c = h2.connection.H2Connection(h2.config.H2Configuration(client_side=True))
        c.initiate_connection()
        s.sendall(c.data_to_send())
        sids, ok = [], 0
        while not c.remote_settings.enable_connect_protocol:
            for ev in c.receive_data(s.recv(65536)):
                pass
            s.sendall(c.data_to_send())
        for _ in range(min(per, SOCKETS)):
            sid = c.get_next_available_stream_id()
            c.send_headers(sid, [(':method', 'CONNECT'), (':protocol', 'websocket'), (':scheme', 'http'),
                                 (':path', '/'), (':authority', 'x'), ('sec-websocket-version', '13')])
            sids.append(sid)
        s.sendall(c.data_to_send())
        while ok < len(sids):
            for ev in c.receive_data(s.recv(65536)):
                if isinstance(ev, h2.events.ResponseReceived):
                    ok += 1
            s.sendall(c.data_to_send())
        s.setblocking(False)
        conns.append((s, sids))
    # From here on, frames by hand: the bench measures the server, not python3-h2.
    def data(sid, n):
        payload = FRAME * n
        return struct.pack('!I', len(payload))[1:] + b'\x00\x00' + struct.pack('!I', sid) + payload

    def window_update(sid, n):
        return b'\x00\x00\x04\x08\x00' + struct.pack('!II', sid, n)
    state = {}
    for s, sids in conns:
        s.send(b''.join(data(sid, INFLIGHT) for sid in sids))
        state[s] = {'buf': b'', 'got': {sid: 0 for sid in sids}, 'unacked': {sid: 0 for sid in sids}, 'conn': 0}
    socks = [s for s, _ in conns]
    cpu0, t0, echoed = cpu_seconds(pid), time.time(), 0
    while time.time() - t0 < SECONDS:
        r, _, _ = select.select(socks, [], [], 1)
        for s in r:
            st = state[s]
            buf = st['buf'] + s.recv(1 << 18)
            out = []
            at = 0
            while len(buf) - at >= 9:
                ln = int.from_bytes(buf[at:at + 3], 'big')
                if len(buf) - at < 9 + ln:
                    break
                typ, sid = buf[at + 3], int.from_bytes(buf[at + 5:at + 9], 'big') & 0x7fffffff
                if typ == 0 and sid in st['got']:
                    st['got'][sid] += ln
                    # the flow-control windows (65,535 bytes each): credited every 16 KiB
                    st['unacked'][sid] += ln
                    st['conn'] += ln
                    if st['unacked'][sid] >= 16384:
                        out.append(window_update(sid, st['unacked'][sid]))
                        st['unacked'][sid] = 0
                    if st['conn'] >= 16384:
                        out.append(window_update(0, st['conn']))
                        st['conn'] = 0
                    done = st['got'][sid] // ECHO
                    st['got'][sid] -= done * ECHO
                    echoed += done
                    if done:
                        out.append(data(sid, done))
                elif typ == 6 and not buf[at + 4] & 1:  # PING: ACK it
                    out.append(struct.pack('!I', 8)[1:] + b'\x06\x01\x00\x00\x00\x00' + buf[at + 9:at + 17])
                at += 9 + ln
            st['buf'] = buf[at:]
            if out:
                s.send(b''.join(out))
    elapsed, cpu = time.time() - t0, cpu_seconds(pid) - cpu0
    for s in socks:
        s.close()
    return echoed, elapsed, cpu


def start(cmd, env=None):
    return subprocess.Popen(['taskset', '-c', '0'] + cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def main():
    os.sched_setaffinity(0, {1})
    results = {'h2srv': [], 'h2srv-h1': [], 'node': []}
    for r in range(RUNS):
        for k, name in enumerate(('h2srv', 'h2srv-h1', 'node')):
            port = 18000 + r * 3 + k
            if name.startswith('h2srv'):
                env = dict(os.environ, H2SRV_LISTEN='127.0.0.1:%d' % port)
                p = start(['php', '-n', '-d', 'extension=' + SO, os.path.join(HERE, 'ws-server.php')], env)
            else:
                env = dict(os.environ, NODE_PATH='/usr/share/nodejs')
                p = start(['node', os.path.join(HERE, 'peers', 'ws-echo.js'), str(port)], env)
            wait_port(port)
            time.sleep(0.3)
            echoed, elapsed, cpu = (run_h2 if name == 'h2srv' else run_h1)(port, p.pid)
            rss = int(open('/proc/%d/status' % p.pid).read().split('VmRSS:')[1].split()[0])
            p.terminate()
            p.wait()
            results[name].append({'messages': echoed, 'seconds': elapsed, 'cpu': cpu, 'rss_kb': rss})
            print('run %d %-5s %8.0f msg/s  %6.2f us CPU/msg' % (r + 1, name, echoed / elapsed, cpu / echoed * 1e6),
                  file=sys.stderr)
    def summary(rs):
        msgs = sum(x['messages'] for x in rs)
        return {'msg_per_s': msgs / sum(x['seconds'] for x in rs), 'us_cpu_per_msg': sum(x['cpu'] for x in rs) / msgs * 1e6}
    h, h1, n = summary(results['h2srv']), summary(results['h2srv-h1']), summary(results['node'])
    print('| server | transport | messages/s | server CPU per message |')
    print('|---|---|---:|---:|')
    print('| h2srv | HTTP/2 (RFC 8441), h2c: %d streams per connection | %.0f | %.2f µs |' % (min(SOCKETS, 100), h['msg_per_s'], h['us_cpu_per_msg']))
    print('| h2srv | HTTP/1.1, a connection per socket | %.0f | %.2f µs |' % (h1['msg_per_s'], h1['us_cpu_per_msg']))
    print('| Node %s ws | HTTP/1.1 | %.0f | %.2f µs |' % (subprocess.check_output(['node', '--version']).decode().strip(),
                                                       n['msg_per_s'], n['us_cpu_per_msg']))
    print('\nh2srv CPU per message: %.3f × Node\'s over HTTP/2, %.3f × over HTTP/1.1 like Node (%d sockets, '
          '%d messages in flight each, 64-byte text, %d runs of %g s, server and client pinned to different cores)'
          % (h['us_cpu_per_msg'] / n['us_cpu_per_msg'], h1['us_cpu_per_msg'] / n['us_cpu_per_msg'], SOCKETS, INFLIGHT, RUNS, SECONDS))
    json.dump({'raw': results, 'h2srv': h, 'h2srv_h1': h1, 'node': n, 'sockets': SOCKETS, 'inflight': INFLIGHT},
              open(OUT, 'w'), indent=1)


main()
