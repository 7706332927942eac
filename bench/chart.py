#!/usr/bin/python3
"""Renders a bench result (bench/results/*.json) as an SVG bar chart with gnuplot: server CPU
per request for each target at each body size, on a log scale (3 B and 64 KiB differ by ~30x).

usage: chart.py RESULT.json OUT.svg (or OUT.png, to look at it)"""
import json
import subprocess
import sys
import tempfile

src, out = sys.argv[1:3]
with open(src) as f:
    data = json.load(f)
meta, results = data['meta'], data['results']
targets = list(results)
bodies = list(next(iter(results.values())))

with tempfile.NamedTemporaryFile('w', suffix='.dat', delete=False) as dat:
    dat.write('body ' + ' '.join('"%s"' % (t.split('@')[0] + (' (other build)' if '@' in t else '')) for t in targets) + '\n')
    for b in bodies:
        dat.write('"%s" ' % b + ' '.join('%.2f' % results[t][b]['us_per_req'] for t in targets) + '\n')

n = len(targets)
# A clustered histogram with gap 1 puts bar i of row j at x = j + (i - (n-1)/2) / (n+1); the
# labels skip the header row.
labels = ', '.join(
    "'' every ::1 using ($0 + %f):%d:(sprintf('%%.1f', $%d)) with labels offset 0,0.6 font ',9' notitle"
    % ((i - (n - 1) / 2) / (n + 1), i + 2, i + 2) for i in range(n))
TERMINAL_SVG = "set terminal svg size 820,420 dynamic font 'sans,11' background rgb 'white'"
TERMINAL_PNG = "set terminal pngcairo size 820,420 font 'sans,10'"
script = """
%(terminal)s
set output '%(out)s'
set title "server CPU per request (lower is better): %(load)s, %(runs)d runs, median; %(date)s" font ',12'
set ylabel 'µs per request (log scale)'
set logscale y
set yrange [0.5:*]
set grid ytics
set key top left
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set xtics nomirror
set xrange [-0.5:%(right)f]
plot for [i=2:%(last)d] '%(dat)s' using i:xtic(1) title columnheader(i), %(labels)s
""" % {'terminal': TERMINAL_PNG if out.endswith('.png') else TERMINAL_SVG, 'out': out, 'load': meta['load'], 'runs': meta['runs'], 'date': meta['date'], 'last': n + 1, 'right': len(bodies) - 0.5,
       'dat': dat.name, 'labels': labels.replace("''", "'%s'" % dat.name)}
subprocess.run(['gnuplot'], input=script, text=True, check=True)
print('chart: ' + out, file=sys.stderr)
