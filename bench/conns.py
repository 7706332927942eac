#!/usr/bin/python3
"""Connection cost of h2srv: proportional memory per idle HTTP/2 connection and server CPU per
new TLS connection. Usage: conns.py SO CERT KEY [IDLE_CONNS] [NEW_CONNS] [ECDSA_CERT ECDSA_KEY].
Prints markdown tables.

Idle: the server's Pss (/proc/PID/smaps_rollup, summed over its processes) after one warm-up
request, then with IDLE_CONNS connections that each made one request and stay open; the
difference divided by IDLE_CONNS. New: server CPU time over an h2load run of NEW_CONNS clients
that each connect, make one request and leave, divided by NEW_CONNS (median of ROUNDS, 5).
CPU time is bench.py's (nanoseconds, from schedstat): utime+stime count 10 ms ticks, which at
2,000 connections is a 5 us step, as large as the differences measured.
With an ECDSA pair (and nginx installed), the new-connection cost is also measured for h2srv and
nginx with each certificate, all four servers running and measured in turn, round by round."""
import os
import resource
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'inc'))
import rawpeer  # noqa: E402  (frame building)
import bench  # noqa: E402  (CPU time of a server's process tree)

ROUNDS = int(os.environ.get('ROUNDS', 5))


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


def new_conn_cost(pid, port, new_n):
    """Server CPU per new TLS connection (µs) over one h2load run of |new_n| one-request clients."""
    url = 'https://127.0.0.1:%d/3' % port
    t0 = bench.cpu_seconds(pid)
    r = subprocess.run(['taskset', '-c', '1', 'h2load', '-n', str(new_n), '-c', str(new_n), '-m', '1', '-t', '1', url],
                       capture_output=True, text=True, check=True)
    t1 = bench.cpu_seconds(pid)
    if ' 0 failed' not in r.stdout or ' 0 errored' not in r.stdout:
        sys.exit('h2load saw failed connections, so the cost per connection would be wrong:\n' + r.stdout)
    return (t1 - t0) * 1e6 / new_n


def start_h2srv(so, port, cert, key):
    env = dict(os.environ, H2SRV_LISTEN='127.0.0.1:%d' % port, H2SRV_CERT=cert, H2SRV_KEY=key,
               H2SRV_IDLE_TIMEOUT='600')
    here = os.path.dirname(os.path.abspath(__file__))
    return subprocess.Popen(['taskset', '-c', '0', 'php', '-n', '-d', 'extension=' + so, here + '/server.php'], env=env)


def start_nginx(work, port, cert, key, conns):
    """nginx with bench/peers/nginx.conf.in (one worker, room for |conns| connections), pinned
    like h2srv; its worker (www-data) must be able to read the page."""
    here = os.path.dirname(os.path.abspath(__file__))
    os.makedirs(os.path.join(work, 'www'), exist_ok=True)
    os.chmod(work, 0o755)
    os.chmod(os.path.join(work, 'www'), 0o755)
    with open(os.path.join(work, 'www', '3'), 'w') as f:
        f.write('ok\n')
    with open(os.path.join(here, 'peers', 'nginx.conf.in')) as f:
        conf = f.read().replace('@PORT@', str(port)).replace('@CERT@', cert).replace('@KEY@', key).replace('@DIR@', work)
    # A burst of |conns| connects at once: a queue deep enough for them (h2srv's takes them as
    # they come), as a production nginx would be tuned.
    # nginx counts the connections of the last burst that are still closing too.
    conf = conf.replace('worker_connections 1024;', 'worker_connections %d; multi_accept on;' % (2 * conns + 100))
    conf = conf.replace('ssl http2;', 'ssl http2 backlog=%d;' % (conns + 100))
    path = os.path.join(work, 'nginx-%d.conf' % port)
    with open(path, 'w') as f:
        f.write(conf)
    return subprocess.Popen(['taskset', '-c', '0', 'nginx', '-c', path, '-e', os.path.join(work, 'nginx-error.log')])


def compare(so, rsa, ecdsa, new_n):
    """h2srv and nginx, RSA and ECDSA: new-connection cost, median of ROUNDS rounds."""
    import tempfile
    work = tempfile.mkdtemp(prefix='h2srv-conns-')
    targets = [('h2srv', 'RSA-2048', rsa), ('nginx', 'RSA-2048', rsa), ('h2srv', 'ECDSA P-256', ecdsa),
               ('nginx', 'ECDSA P-256', ecdsa)]
    procs = []
    try:
        for i, (server, _, (cert, key)) in enumerate(targets):
            port = 8470 + i
            procs.append((start_h2srv(so, port, cert, key) if server == 'h2srv' else start_nginx(work, port, cert, key, new_n),
                          port))
        time.sleep(1.5)
        for p, port in procs:
            subprocess.run(['h2load', '-n', '100', '-c', '10', 'https://127.0.0.1:%d/3' % port], capture_output=True, check=True)
        costs = [[] for _ in targets]
        for _ in range(ROUNDS):
            for i, (p, port) in enumerate(procs):
                costs[i].append(new_conn_cost(p.pid, port, new_n))
        med = [sorted(c)[len(c) // 2] for c in costs]
        print()
        print('| server CPU per new TLS 1.3 connection, µs (h2load -c %d -m 1, median of %d) | h2srv | nginx | h2srv / nginx |' % (new_n, ROUNDS))
        print('|---|---:|---:|---:|')
        for k, name in ((0, 'RSA-2048'), (2, 'ECDSA P-256')):
            print('| %s | %.0f | %.0f | %.2f |' % (name, med[k], med[k + 1], med[k] / med[k + 1]))
    finally:
        for p, _ in procs:
            p.terminate()
            p.wait()


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
    ecdsa = tuple(sys.argv[6:8]) if len(sys.argv) > 7 else None
    port = 8460
    # Room for the idle sockets here and for h2load's, which inherits this limit; never lowered.
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    want = 2 * max(idle_n, new_n) + 200  # nginx, which inherits it, holds closing ones too
    if soft < want:
        resource.setrlimit(resource.RLIMIT_NOFILE, (min(want, hard), hard))
    srv = start_h2srv(so, port, cert, key)
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
        costs = sorted(new_conn_cost(srv.pid, port, new_n) for _ in range(ROUNDS))
        print('| measure | h2srv |')
        print('|---|---:|')
        print('| Pss before, KiB | %d |' % before)
        print('| Pss with %d idle connections, KiB | %d |' % (idle_n, with_idle))
        print('| per idle connection, KiB | %.1f |' % per_idle)
        print('| server CPU per new TLS connection (RSA-2048, h2load -c %d -m 1), µs | %.0f |' % (new_n, costs[len(costs) // 2]))
    finally:
        srv.terminate()
        srv.wait()
    if ecdsa and subprocess.run(['sh', '-c', 'command -v nginx'], capture_output=True).returncode == 0:
        compare(so, (cert, key), ecdsa, new_n)


if __name__ == '__main__':
    main()
