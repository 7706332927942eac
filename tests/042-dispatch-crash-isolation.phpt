--TEST--
request dispatch: a worker that dies (SIGKILL, a fatal error, exit()) fails only its own request (500, the connection and the other streams on it carry on) and is started again
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$pidfile = sys_get_temp_dir() . '/h2srv-victim-' . getmypid();
@unlink($pidfile);
$srv = new TestServer(<<<PHP
\$server->handle(function (H2srv\\Request \$req, H2srv\\Response \$res) use (\$server): void {
    \$p = \$req->path();
    if (\$p === '/victim') {
        file_put_contents('$pidfile', (string)getmypid());
        sleep(10);
    } elseif (\$p === '/fatal') {
        usleep(100000);
        trigger_error('this worker dies', E_USER_ERROR);
    } elseif (\$p === '/exit') {
        usleep(100000);
        exit(3);
    } elseif (\$p === '/slow') {
        usleep(400000);
    } elseif (\$p === '/reactor') {
        \$r = array_filter(\$server->stats()['processes'], fn(\$p) => \$p['role'] === 'reactor');
        \$res->end((string)array_values(\$r)[0]['pid']);
        return;
    }
    \$res->end("\$p from " . getmypid());
});
PHP, ['workers' => 3, 'dispatch' => 'request']);
$sup = $srv->pid();
h2srv_eventually(fn() => count(h2srv_children($sup)) === 4, 5); // 3 workers and a reactor
$reactor = h2srv_curl($srv->url('/reactor'))[1];

$peer = proc_open(['/usr/bin/python3', __DIR__ . '/inc/streams.py', (string)$srv->port, '--then', '/after', '/victim', '/slow', '/slow?2'],
    [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
h2srv_eventually(fn() => is_file($pidfile) && filesize($pidfile) > 0, 5);
$victim = (int)file_get_contents($pidfile);
h2srv_kill($victim, 9);
$r = json_decode(stream_get_contents($pipes[1]), true);
proc_close($peer);
$show = fn(array $r) => implode(', ', array_map(fn($s) => $s['path'] . ' ' . ($s['status'] ?? 'reset ' . ($s['reset'] ?? '?')), $r['streams']));
echo 'SIGKILL of the worker running /victim: ', $show($r), '; connection ', $r['open'] ? 'still open' : 'gone', "\n";
echo 'the worker came back: ', h2srv_eventually(fn() => count(h2srv_children($sup)) === 4 && !in_array($victim, h2srv_children($sup)), 5) ? 'yes' : 'no', "\n";

foreach (['/fatal', '/exit'] as $path) {
    $r = json_decode(h2srv_py('streams.py', [(string)$srv->port, '--then', '/after', $path, '/slow'])[1], true);
    echo "$path: ", $show($r), '; connection ', $r['open'] ? 'still open' : 'gone', "\n";
    echo '  the worker came back: ', h2srv_eventually(fn() => count(h2srv_children($sup)) === 4, 5) ? 'yes' : 'no', "\n";
}
echo 'the reactor is the one it was: ', $reactor > 0 && h2srv_curl($srv->url('/reactor'))[1] === $reactor && in_array((int)$reactor, h2srv_children($sup)) ? 'yes' : 'no', "\n";
echo 'exit code: ', $srv->stop(), "\n";
$err = $srv->stderr();
echo 'logged: ', preg_match('/the worker running the handler died for GET \/victim; answered 500/', $err) ? 'the failed request' : '-', ', ',
    preg_match('/worker \d \(pid \d+\) was killed by signal 9; restarting it/', $err) ? 'the SIGKILL' : '-', ', ',
    preg_match('/worker \d \(pid \d+\) exited with status 3; restarting it/', $err) ? 'the exit()' : '-', "\n";
@unlink($pidfile);
?>
--EXPECT--
SIGKILL of the worker running /victim: /victim 500, /slow 200, /slow?2 200, /after 200; connection still open
the worker came back: yes
/fatal: /fatal 500, /slow 200, /after 200; connection still open
  the worker came back: yes
/exit: /exit 500, /slow 200, /after 200; connection still open
  the worker came back: yes
the reactor is the one it was: yes
exit code: 0
logged: the failed request, the SIGKILL, the exit()
