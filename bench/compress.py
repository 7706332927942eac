#!/usr/bin/python3
"""Compression: a 64 KiB JSON body coded by h2srv with gzip, br and zstd at their default levels,
next to nginx's gzip at the same gzip level, in one run (bench.py's round-robin and medians):
server CPU per request and the coded size."""
import json
import os
import random
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402

GZIP_LEVEL = 5  # h2srv's default, and nginx's gzip_comp_level here

if __name__ == '__main__':
    so, cert, key, workdir, out_json = sys.argv[1:6]
    rnd = random.Random(7)
    items, size = [], 0
    while size < 65536 - 200:
        item = {'id': len(items) + 1, 'name': 'item %d' % (len(items) + 1), 'price': round(rnd.uniform(1, 500), 2),
                'tags': rnd.sample(['red', 'green', 'blue', 'small', 'large', 'new', 'sale'], 2), 'stock': rnd.randint(0, 99)}
        items.append(item)
        size = len(json.dumps(items, separators=(',', ':')))
    body = json.dumps(items, separators=(',', ':')).encode()
    os.makedirs(workdir + '/www', exist_ok=True)
    with open(workdir + '/www/json64k', 'wb') as f:
        f.write(body)
    os.environ['H2SRV_JSON'] = workdir + '/www/json64k'
    conf = workdir + '/nginx-gzip.conf'
    with open(bench.ROOT + '/bench/peers/nginx.conf.in') as f:
        text = f.read()
    for k, v in {'@DIR@': workdir, '@PORT@': '18484', '@CERT@': cert, '@KEY@': key}.items():
        text = text.replace(k, v)
    text = text.replace('        location = /3 { }', '        gzip on;\n        gzip_comp_level %d;\n'
                        '        gzip_types application/json;\n        gzip_min_length 1024;\n'
                        '        location = /json64k { default_type application/json; }\n        location = /3 { }' % GZIP_LEVEL)
    with open(conf, 'w') as f:
        f.write(text)
    bench.BODIES = [('64 KiB JSON', '/json64k', len(body))]
    bench.REQUESTS = {'/json64k': 20000}  # measure() applies SCALE
    starts = {
        'h2srv gzip': (bench.h2srv(so, cert, key, 18480, 'gather:gzip'), 18480),
        'h2srv br': (bench.h2srv(so, cert, key, 18481, 'gather:br'), 18481),
        'h2srv zstd': (bench.h2srv(so, cert, key, 18482, 'gather:zstd'), 18482),
        'nginx gzip': (lambda: subprocess.Popen(['taskset', '-c', bench.SERVER_CPU, 'nginx', '-c', conf, '-g',
                                                 'master_process off;'], stdout=subprocess.DEVNULL), 18484),
    }
    for name in starts:
        coding = name.split()[1]
        bench.HEADERS[name] = ['-H', 'accept-encoding: ' + coding]
    sizes = {}

    def coded_sizes(targets):
        for name, (_, port) in targets.items():
            out = subprocess.run(['curl', '-sk', '--http2', '-H', 'accept-encoding: ' + name.split()[1],
                                  '-o', '/dev/null', '-w', '%{size_download}', 'https://127.0.0.1:%d/json64k' % port],
                                 capture_output=True, text=True).stdout
            sizes[name] = int(out or 0)

    bench.ON_READY = coded_sizes
    results = bench.measure(starts)
    print('compression bench, %s, %d runs each (median), %d requests per run, h2load -t1 -c100 -m32, body %d bytes\n'
          % (time.strftime('%Y-%m-%d'), bench.RUNS, int(20000 * bench.SCALE), len(body)))
    print('| server | coding (level) | coded bytes | req/s | failed | server µs/req |')
    print('|---|---|---:|---:|---:|---:|')
    out = {}
    levels = {'gzip': GZIP_LEVEL, 'br': 4, 'zstd': 3}
    for name, (_, port) in starts.items():
        coding = name.split()[1]
        r = results[name]['64 KiB JSON']
        out[name] = dict(r, coded=sizes.get(name, 0))
        print('| %s | %s (%d) | %s | %.0f | %d | %.2f |' % (name.split()[0], coding, levels[coding], sizes.get(name, 0),
                                                       r['req_s'], r['failed'] + r['errored'], r['us_per_req']))
    with open(out_json, 'w') as f:
        json.dump({'results': out}, f, indent=1)
