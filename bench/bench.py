#!/usr/bin/python3
"""Measures h2srv (gather and drain emit) and nginx under the same h2load load, in one run.

Per body: a warm-up of every target, then RUNS rounds that each measure every target once, in
turn; the median of each figure is reported.
Server CPU per request is utime+stime of the server process (from /proc/PID/stat) over the
h2load run, divided by the requests done; client CPU comes from getrusage of the h2load child."""
import json
import os
import pwd
import re
import resource
import signal
import statistics
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
TICK = os.sysconf('SC_CLK_TCK')
BODIES = [('3 B', '/3', 3), ('16 KiB', '/16k', 16384), ('64 KiB', '/64k', 65536)]
REQUESTS = {'/3': 200000, '/16k': 60000, '/64k': 20000}
SERVER_CPU, CLIENT_CPU = os.environ.get('SERVER_CPU', '0'), os.environ.get('CLIENT_CPU', '1')
RUNS = int(os.environ.get('RUNS', '3'))
CONNS, STREAMS = '100', '32'  # h2load's -c and -m (frameworks.py asks for fewer)
HEADERS = {}  # target name -> more h2load arguments (compress.py: accept-encoding)
ON_READY = None  # called with the targets once every server listens (compress.py: coded sizes)
SCALE = float(os.environ.get('SCALE', '1'))


def cpu_seconds(pid):
    """CPU time of |pid| and every live process under it (a supervisor's reactors and workers,
    nginx's workers), plus what its reaped children used. Live processes are read in nanoseconds
    (/proc/PID/task/*/schedstat): utime+stime count 10 ms ticks, a step as large as the
    differences between two builds in a short run."""
    stats = {}
    for d in os.listdir('/proc'):
        if d.isdigit():
            try:
                with open('/proc/%s/stat' % d) as f:
                    stats[int(d)] = f.read().rsplit(')', 1)[1].split()
            except OSError:
                pass
    tree, todo = set(), [pid]
    while todo:
        p = todo.pop()
        tree.add(p)
        todo += [q for q, f in stats.items() if int(f[1]) == p and q not in tree]
    ns = 0
    for p in tree:
        try:
            for task in os.listdir('/proc/%d/task' % p):
                with open('/proc/%d/task/%s/schedstat' % (p, task)) as f:
                    ns += int(f.read().split()[0])
        except OSError:
            pass  # gone meanwhile: its time is in the reaped children's below, next time
    reaped = int(stats[pid][13]) + int(stats[pid][14]) if pid in stats else 0
    return ns / 1e9 + reaped / TICK


def wait_listening(port, proc, timeout=10):
    import socket
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            sys.exit('server exited early (code %s)' % proc.returncode)
        try:
            socket.create_connection(('127.0.0.1', port), timeout=0.2).close()
            return
        except OSError:
            time.sleep(0.05)
    sys.exit('server did not listen on %d' % port)


def h2load(port, path, n, name):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.time()
    # HTTP/1.1 targets: one request at a time per connection, as browsers and proxies send them.
    load = (['--h1'] if is_h1(name) else ['-m', STREAMS]) + HEADERS.get(name, [])
    cmd = (['taskset', '-c', CLIENT_CPU, 'h2load', '-t', '1', '-c', CONNS] + load +
           ['-n', str(n), '%s://127.0.0.1:%d%s' % (scheme_of(name), port, path)])
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    out = done.stdout
    wall = time.time() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    m = re.search(r'requests: \d+ total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored', out)
    if not m:
        sys.exit('h2load output not understood (%s):\n%s%s' % (' '.join(cmd), out, done.stderr))
    done, ok, failed, errored = map(int, m.groups())
    client = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {'done': done, 'succeeded': ok, 'failed': failed, 'errored': errored, 'wall': wall, 'client_cpu': client}


def summary(runs):
    return {
        'req_s': statistics.median(x['done'] / x['wall'] for x in runs),
        'failed': sum(x['failed'] for x in runs), 'errored': sum(x['errored'] for x in runs),
        'us_per_req': statistics.median(x['server_cpu'] / max(x['done'], 1) * 1e6 for x in runs),
        'server_pct': statistics.median(x['server_cpu'] / x['wall'] * 100 for x in runs),
        'client_pct': statistics.median(x['client_cpu'] / x['wall'] * 100 for x in runs),
        'requests': statistics.median(x['done'] for x in runs),
    }


def measure(starts):
    """|starts|: target name -> (start function, port). Every server runs for the whole bench
    (idle ones cost nothing), and the runs go round-robin over the targets, so that the
    machine's drift during the bench falls on every target alike and the ratios stay fair."""
    procs = {}
    try:
        for name, (start, port) in starts.items():
            procs[name] = start()
            wait_listening(port, procs[name])
        if ON_READY:
            ON_READY(starts)
        results = {name: {} for name in starts}
        for label, path, size in BODIES:
            n = int(REQUESTS[path] * SCALE)
            runs = {name: [] for name in starts}
            for name, (_, port) in starts.items():
                h2load(port, path, max(n // 5, 1000), name)  # warm-up
            for _ in range(RUNS):
                for name, (_, port) in starts.items():
                    c0 = cpu_seconds(procs[name].pid)
                    r = h2load(port, path, n, name)
                    r['server_cpu'] = cpu_seconds(procs[name].pid) - c0
                    runs[name].append(r)
            for name in starts:
                results[name][label] = summary(runs[name])
                print('  %-22s %-7s %9.0f req/s  %6.2f µs/req' % (name, label, results[name][label]['req_s'],
                                                                 results[name][label]['us_per_req']), file=sys.stderr)
        return results
    finally:
        for proc in procs.values():
            proc.send_signal(signal.SIGTERM)
        for proc in procs.values():
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()


def suffix_of(name):
    """'' (HTTP/2 over TLS), '+h2c', '+h1' (HTTP/1.1 over TLS) or '+h1c' (cleartext HTTP/1.1)."""
    base = name.partition('@')[0]
    return next((x for x in (H2C, H1C, H1) if base.endswith(x)), '')


def scheme_of(name):
    return 'http' if suffix_of(name) in (H2C, H1C) else 'https'


def is_h1(name):
    return suffix_of(name) in (H1, H1C)


def h2srv(so, cert, key, port, target):
    """|target| is "gather" or "drain", optionally with INI overrides ("gather:h2srv.byte_cap=65536")
    and another build of the extension to compare with ("gather@/tmp/old/modules/h2srv.so")."""
    suffix = suffix_of(target)
    target, _, other_so = target.partition('@')
    so = other_so or so
    emit, *ini = target.removesuffix(suffix).split(':')
    env = dict(os.environ, H2SRV_LISTEN='127.0.0.1:%d' % port, H2SRV_CERT=cert, H2SRV_KEY=key,
               H2SRV_TLS='0' if scheme_of(target) == 'http' else '1')
    for word in ini:  # gather:static serves the bench's files from a static mount; gather:gzip codes
        if word == 'static':
            env['H2SRV_STATIC'] = WWW
        elif word in ('gzip', 'br', 'zstd'):
            env['H2SRV_COMPRESSION'] = word
    ini = [kv for kv in ini if '=' in kv]
    ini_args = [a for kv in ini for a in ('-d', kv)]
    return lambda: subprocess.Popen(['taskset', '-c', SERVER_CPU, 'php', '-n', '-d', 'extension=' + so,
                                     '-d', 'h2srv.tls_emit=' + emit] + EXTRA_INI + ini_args + [ROOT + '/bench/server.php'],
                                    env=env, stdout=subprocess.DEVNULL)


def write_www(workdir):
    """The bodies as files, for the servers that serve files (nginx, h2o, h2srv's static mount)."""
    os.makedirs(workdir + '/www', exist_ok=True)
    for _, path, size in BODIES:
        with open(workdir + '/www' + path, 'wb') as f:
            f.write(b'ok\n' if size == 3 else b'a' * size)


def nginx(workdir, cert, key, port, suffix=''):
    with open(ROOT + '/bench/peers/nginx.conf.in') as f:
        conf = f.read()
    for k, v in {'@DIR@': workdir, '@PORT@': str(port), '@CERT@': cert, '@KEY@': key}.items():
        conf = conf.replace(k, v)
    if suffix == H2C:
        conf = re.sub(r'listen (\S+) ssl http2;\n(\s*ssl_\S+ [^\n]*\n)*', r'listen \1 http2;\n', conf)
    elif suffix == H1C:
        conf = re.sub(r'listen (\S+) ssl http2;\n(\s*ssl_\S+ [^\n]*\n)*', r'listen \1;\n', conf)
    name = 'nginx%s-%d.conf' % (suffix.replace('+', '-'), port)
    with open(workdir + '/' + name, 'w') as f:
        f.write(conf)
    # master_process off: the one process that serves is the one we measure.
    return lambda: subprocess.Popen(['taskset', '-c', SERVER_CPU, 'nginx', '-c', workdir + '/' + name,
                                     '-g', 'master_process off;'], stdout=subprocess.DEVNULL)


def h2o(workdir, cert, key, port):
    """h2o 2.2 (Debian), one thread, serving the same files as nginx (written by nginx())."""
    conf = workdir + '/h2o-%d.conf' % port
    with open(conf, 'w') as f:
        f.write('''listen:
  host: 127.0.0.1
  port: %d
  ssl:
    certificate-file: %s
    key-file: %s
    minimum-version: TLSv1.2
    cipher-preference: server
    cipher-suite: "ECDHE+AES128+AESGCM:ECDHE+AESGCM:ECDHE+CHACHA20"
num-threads: 1
user: %s
max-connections: 1024
http2-max-concurrent-requests-per-connection: 128
pid-file: %s/h2o-%d.pid
error-log: %s/h2o-error.log
hosts:
  default:
    paths:
      /:
        file.dir: %s/www
''' % (port, cert, key, pwd.getpwuid(os.getuid()).pw_name, workdir, port, workdir, workdir))
    return lambda: subprocess.Popen(['taskset', '-c', SERVER_CPU, 'h2o', '-c', conf], stdout=subprocess.DEVNULL,
                                    stderr=subprocess.DEVNULL)


EXTRA_INI = []
WWW = ''  # where write_www() put the files
H2C = '+h2c'  # a target name ending so serves cleartext HTTP/2 (prior knowledge) instead of TLS
H1 = '+h1'    # ... is loaded with HTTP/1.1 over TLS (ALPN http/1.1), h2load --h1
H1C = '+h1c'  # ... with cleartext HTTP/1.1

if __name__ == '__main__':
    so, cert, key, workdir, out_json = sys.argv[1:6]
    targets = os.environ.get('TARGETS', 'gather,drain,nginx').split(',')
    for kv in os.environ.get('H2SRV_INI', '').split():
        EXTRA_INI += ['-d', kv]
    WWW = workdir + '/www'
    write_www(workdir)
    starts = {}
    for i, t in enumerate(targets):
        port = 18440 + i
        base = t.removesuffix(suffix_of(t))
        starts[t] = (nginx(workdir, cert, key, port, suffix_of(t)) if base == 'nginx'
                     else h2o(workdir, cert, key, port) if base == 'h2o'
                     else h2srv(so, cert, key, port, t), port)
    results = measure(starts)
    meta = {'date': time.strftime('%Y-%m-%d'), 'cpu': open('/proc/cpuinfo').read().split('model name')[1].split('\n')[0].strip(': \t'),
            'runs': RUNS, 'load': 'h2load -t 1 -c 100 -m 32 (HTTP/1.1 targets: --h1, no -m)', 'server_cpu': SERVER_CPU, 'client_cpu': CLIENT_CPU}
    with open(out_json, 'w') as f:
        json.dump({'meta': meta, 'results': results}, f, indent=1)

    print('h2srv bench, %s, %s, %d runs each (median), %s, server on CPU %s, client on CPU %s\n'
          % (meta['date'], meta['cpu'], RUNS, meta['load'], SERVER_CPU, CLIENT_CPU))
    print('| target | body | req/s | failed | errored | server µs/req | server CPU % | client CPU % |')
    print('|---|---|---:|---:|---:|---:|---:|---:|')
    for t in targets:
        for label, _, _ in BODIES:
            r = results[t][label]
            print('| %s | %s | %.0f | %d | %d | %.2f | %.0f | %.0f |' % (t, label, r['req_s'], r['failed'], r['errored'],
                                                                      r['us_per_req'], r['server_pct'], r['client_pct']))
    print()
    # Ratios within one transport and protocol: h2srv targets against drain and nginx over TLS,
    # and against the nginx target with the same suffix (+h2c, +h1, +h1c).
    base = [t for t in targets if t.removesuffix(suffix_of(t)) not in ('nginx', 'h2o')]
    pairs = [(a, 'drain') for a in base if a != 'drain' and 'drain' in results and not suffix_of(a)]
    pairs += [(a, 'nginx' + suffix_of(a)) for a in base if 'nginx' + suffix_of(a) in results]
    pairs += [(a, 'h2o') for a in base if 'h2o' in results and not suffix_of(a)]
    if pairs:
        print('| ratio of server µs/req | ' + ' | '.join(l for l, _, _ in BODIES) + ' |')
        print('|---|' + '---:|' * len(BODIES))
        for a, b in pairs:
            print('| %s / %s | ' % (a, b) + ' | '.join('%.2f' % (results[a][l]['us_per_req'] / results[b][l]['us_per_req'])
                                                   for l, _, _ in BODIES) + ' |')
