#!/usr/bin/python3
"""Framework apps: examples/symfony and examples/laravel under h2srv (request dispatch, 2
workers) against the same apps under nginx + PHP-FPM (pm = static, 2 children, opcache on),
in one run, HTTP/2 over TLS for both, each app's hello-world route. Server CPU per request is
summed over every process of each server (h2srv's supervisor, reactor and workers; nginx's
master and worker and PHP-FPM's master and children). The round-robin and the medians are
bench.py's."""
import json
import os
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

ROOT = bench.ROOT
APPS = {
    'symfony': {'h2srv': ['examples/symfony/public/index.php'], 'env': {'APP_ENV': 'prod', 'APP_DEBUG': '0'},
                'root': 'examples/symfony/public', 'fpm_env': {'APP_RUNTIME': 'Symfony\\Component\\Runtime\\SymfonyRuntime',
                                                               'APP_ENV': 'prod', 'APP_DEBUG': '0'}},
    'laravel': {'h2srv': ['examples/laravel/server.php'], 'env': {'APP_ENV': 'production'},
                'root': 'examples/laravel/public', 'fpm_env': {'APP_ENV': 'production'}},
}
N = 20000  # requests per run; measure() applies SCALE


def h2srv_target(so, cert, key, port, app):
    env = dict(os.environ, H2SRV_LISTEN='127.0.0.1:%d' % port, H2SRV_CERT=cert, H2SRV_KEY=key,
               H2SRV_WORKERS='2', H2SRV_DISPATCH='request', **APPS[app]['env'])
    cmd = ['taskset', '-c', bench.SERVER_CPU, 'php', '-d', 'extension=' + so, '-d', 'opcache.enable_cli=1',
           '-d', 'memory_limit=256M'] + [ROOT + '/' + a for a in APPS[app]['h2srv']]
    return lambda: subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, cwd=ROOT)


def fpm_target(workdir, cert, key, port, app):
    d = '%s/fpm-%s' % (workdir, app)
    os.makedirs(d, exist_ok=True)
    sock = d + '/fpm.sock'
    env_lines = ''.join('env[%s] = "%s"\n' % (k, v.replace('\\', '\\\\')) for k, v in APPS[app]['fpm_env'].items())
    with open(d + '/fpm.conf', 'w') as f:
        f.write('[global]\npid = %s/fpm.pid\nerror_log = %s/fpm.log\ndaemonize = no\n'
                '[app]\nuser = www-data\ngroup = www-data\nlisten = %s\nlisten.mode = 0666\npm = static\n'
                'pm.max_children = 2\nclear_env = no\n%s'
                'php_admin_value[opcache.enable] = 1\nphp_admin_value[memory_limit] = 256M\n' % (d, d, sock, env_lines))
    root = ROOT + '/' + APPS[app]['root']
    with open(d + '/nginx.conf', 'w') as f:
        f.write("""worker_processes 1;
daemon off;
master_process on;
pid %(d)s/nginx.pid;
error_log %(d)s/nginx.log warn;
events { worker_connections 1024; }
http {
    access_log off;
    keepalive_requests 1000000;
    http2_max_concurrent_streams 128;
    upstream fpm { server unix:%(sock)s; }
    server {
        listen 127.0.0.1:%(port)d ssl http2;
        ssl_certificate %(cert)s;
        ssl_certificate_key %(key)s;
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers on;
        ssl_ciphers ECDHE+AES128+AESGCM:ECDHE+AESGCM:ECDHE+CHACHA20;
        ssl_conf_command Ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256;
        root %(root)s;
        location / {
            fastcgi_pass fpm;
            include /etc/nginx/fastcgi_params;
            fastcgi_param SCRIPT_FILENAME %(root)s/index.php;
            fastcgi_param SCRIPT_NAME /index.php;
        }
    }
}
""" % {'d': d, 'sock': sock, 'port': port, 'cert': cert, 'key': key, 'root': root})
    # One shell holds both, so that the CPU of the process tree is nginx's and PHP-FPM's.
    script = ("trap 'kill $(jobs -p)' TERM; php-fpm8.2 --nodaemonize --fpm-config %s/fpm.conf & nginx -c %s/nginx.conf & wait"
              % (d, d))
    return lambda: subprocess.Popen(['taskset', '-c', bench.SERVER_CPU, 'bash', '-c', script],
                                    stdout=subprocess.DEVNULL, start_new_session=True)


if __name__ == '__main__':
    so, cert, key, workdir, out_json = sys.argv[1:6]
    bench.BODIES = [('hello', '/hello', 6)]
    bench.REQUESTS = {'/hello': N}
    starts = {}
    port = 18460
    for app in ('symfony', 'laravel'):
        starts['h2srv-' + app] = (h2srv_target(so, cert, key, port, app), port)
        starts['fpm-' + app] = (fpm_target(workdir, cert, key, port + 1, app), port + 1)
        port += 2
    bench.CONNS, bench.STREAMS = '10', '4'  # 40 requests in flight: enough to keep 2 workers busy
    results = bench.measure(starts)
    meta = {'date': time.strftime('%Y-%m-%d'), 'runs': bench.RUNS, 'requests': int(N * bench.SCALE), 'load': 'h2load -t 1 -c 10 -m 4'}
    with open(out_json, 'w') as f:
        json.dump({'meta': meta, 'results': results}, f, indent=1)
    print('framework bench, %s, %d runs each (median), %d requests per run, %s, server on CPU %s\n'
          % (meta['date'], bench.RUNS, meta['requests'], meta['load'], bench.SERVER_CPU))
    print('| app | server | req/s | failed | server µs/req | server CPU % |')
    print('|---|---|---:|---:|---:|---:|')
    for name in starts:
        r = results[name]['hello']
        print('| %s | %s | %.0f | %d | %.1f | %.0f |' % (name.split('-')[1], name.split('-')[0], r['req_s'],
                                                      r['failed'] + r['errored'], r['us_per_req'], r['server_pct']))
    print()
    for app in ('symfony', 'laravel'):
        a, b = results['h2srv-' + app]['hello'], results['fpm-' + app]['hello']
        print('%s: h2srv / nginx+PHP-FPM server CPU per request = %.3f' % (app, a['us_per_req'] / b['us_per_req']))
