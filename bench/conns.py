#!/usr/bin/python3
"""Connection cost of h2srv: proportional memory per idle HTTP/2 connection and server CPU per
new TLS connection. Usage: conns.py SO CERT KEY [IDLE_CONNS] [NEW_CONNS]. Prints a markdown table.

Idle: the server's Pss (/proc/PID/smaps_rollup, summed over its processes) after one warm-up
request, then with IDLE_CONNS connections that each made one request and stay open; the
difference divided by IDLE_CONNS. New: server utime+stime over an h2load run of NEW_CONNS
clients that each connect, make one request and leave, divided by NEW_CONNS (median of 3)."""
import os
import resource
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'inc'))
import rawpeer  # noqa: E402  (frame building)

HZ = os.sysconf('SC_CLK_TCK')


def pss_kb(pid):
    total = 0
    for p in [pid] + children(pid):
        with open('/proc/%d/smaps_rollup' % p) as f:
            for line in f:
                if line.startswith('Pss:'):
                    total += int(line.split()[1])
    return total


def children(pid):
    try:
        with open('/proc/%d/task/%d/children' % (pid, pid)) as f:
            return [int(x) for x in f.read().split()]
    except OSError:
        return []


def cpu_ticks(pid):
    with open('/proc/%d/stat' % pid) as f:
        fields = f.read().rsplit(')', 1)[1].split()
    return int(fields[11]) + int(fields[12])


def idle_connections(port, n):
    ctx = rawpeer.client_context()
    import hpack
    block = hpack.Encoder().encode([(':method', 'GET'), (':path', '/3'), (':scheme', 'https'), (':authority', 'x')])
    socks = []
    for _ in range(n):
        s = ctx.wrap_socket(socket.create_connection(('127.0.0.1', port)), server_hostname='localhost')
        s.sendall(rawpeer.PREFACE + rawpeer.frame(rawpeer.SETTINGS, 0, 0) + rawpeer.frame(rawpeer.HEADERS, 5, 1, block))
        got = b''
        # Read until the response's DATA with END_STREAM (and the server's SETTINGS) arrived.
        while True:
            got += s.recv(65536)
            if b'ok\n' in got:
                break
        s.sendall(rawpeer.frame(rawpeer.SETTINGS, 1, 0))
        socks.append(s)
    return socks


def main():
    so, cert, key = sys.argv[1:4]
    idle_n = int(sys.argv[4]) if len(sys.argv) > 4 else 2000
    new_n = int(sys.argv[5]) if len(sys.argv) > 5 else 2000
    port = 8460
    # Room for the idle sockets here and for h2load's, which inherits this limit; never lowered.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = max(idle_n, new_n) + 100
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    env = dict(os.environ, H2SRV_LISTEN='127.0.0.1:%d' % port, H2SRV_CERT=cert, H2SRV_KEY=key,
               H2SRV_IDLE_TIMEOUT='600')
    here = os.path.dirname(os.path.abspath(__file__))
    srv = subprocess.Popen(['taskset', '-c', '0', 'php', '-n', '-d', 'extension=' + so, here + '/server.php'], env=env)
    try:
        time.sleep(1)
        url = 'https://127.0.0.1:%d/3' % port
        subprocess.run(['h2load', '-n', '100', '-c', '10', url], capture_output=True, check=True)
        time.sleep(0.5)
        before = pss_kb(srv.pid)
        socks = idle_connections(port, idle_n)
        time.sleep(2)
        with_idle = pss_kb(srv.pid)
        per_idle = (with_idle - before) / idle_n
        for s in socks:
            s.close()
        time.sleep(2)
        costs = []
        for _ in range(3):
            t0 = cpu_ticks(srv.pid)
            r = subprocess.run(['taskset', '-c', '1', 'h2load', '-n', str(new_n), '-c', str(new_n), '-m', '1', '-t', '1', url],
                               capture_output=True, text=True, check=True)
            t1 = cpu_ticks(srv.pid)
            if ' 0 failed' not in r.stdout or ' 0 errored' not in r.stdout:
                sys.exit('h2load saw failed connections, so the cost per connection would be wrong:\n' + r.stdout)
            costs.append((t1 - t0) / HZ * 1e6 / new_n)
        costs.sort()
        print('| measure | h2srv |')
        print('|---|---:|')
        print('| Pss before, KiB | %d |' % before)
        print('| Pss with %d idle connections, KiB | %d |' % (idle_n, with_idle))
        print('| per idle connection, KiB | %.1f |' % per_idle)
        print('| server CPU per new TLS connection (RSA-2048, h2load -c %d -m 1), µs | %.0f |' % (new_n, costs[1]))
    finally:
        srv.terminate()
        srv.wait()


if __name__ == '__main__':
    main()
