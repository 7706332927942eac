--TEST--
workers: 2 workers answer concurrently; a worker killed by SIGKILL or by a PHP fatal error is replaced and the server keeps answering; SIGTERM lets a slow request finish, refuses new connections, and the supervisor exits 0
--SKIPIF--
<?php $needs = ['curl']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = new TestServer(<<<'PHP'
function warm_up(int $worker): void { $GLOBALS['worker'] = $worker; }
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    if ($req->path() === '/slow') {
        usleep(600000);
    } elseif ($req->path() === '/fatal') {
        trigger_error('this worker dies', E_USER_ERROR); // a fatal error: the script ends here
    }
    $res->end('pid ' . getmypid() . ' worker ' . $GLOBALS['worker']);
});
PHP, ['workers' => 2, 'dispatch' => 'connection', 'bootstrap' => 'warm_up']);
$sup = $srv->pid();
h2srv_eventually(fn() => count(h2srv_children($sup)) === 2, 3);
echo 'workers: ', count(h2srv_children($sup)), "\n";

// Two slow requests on two connections, the second sent while the first worker is busy in its
// handler: the other worker takes it, so they overlap (one after the other would take 1.4 s).
$t = microtime(true);
$a = proc_open(['curl', '-sk', '--http2', $srv->url('/slow')], [1 => ['pipe', 'w']], $pa);
usleep(200000);
$b = proc_open(['curl', '-sk', '--http2', $srv->url('/slow')], [1 => ['pipe', 'w']], $pb);
$pids = [stream_get_contents($pa[1]), stream_get_contents($pb[1])];
proc_close($a);
proc_close($b);
$took = microtime(true) - $t;
sort($pids);
echo 'two 0.6 s requests overlapped: ', $took < 1.15 ? 'yes' : "no ($took s)", '; served by ', preg_replace('/pid \d+ /', '', implode(' and ', $pids)), "\n";

$victim = h2srv_children($sup)[0];
h2srv_kill($victim, 9);
echo 'killed worker replaced: ', h2srv_eventually(fn() => count(h2srv_children($sup)) === 2 && !in_array($victim, h2srv_children($sup)), 3) ? "yes\n" : "no\n";
echo 'answers after the kill: ', str_starts_with(h2srv_curl($srv->url('/'))[1], 'pid ') ? "yes\n" : "no\n";

$before = h2srv_children($sup);
h2srv_curl($srv->url('/fatal'));
echo 'worker with a fatal error replaced: ', h2srv_eventually(fn() => count(h2srv_children($sup)) === 2 && h2srv_children($sup) != $before, 3) ? "yes\n" : "no\n";
echo 'answers after the fatal error: ', str_starts_with(h2srv_curl($srv->url('/'))[1], 'pid ') ? "yes\n" : "no\n";

// SIGTERM while a slow request runs.
$slow = proc_open(['curl', '-sk', '--http2', '-w', ' %{http_code}', $srv->url('/slow')], [1 => ['pipe', 'w']], $ps);
usleep(200000);
h2srv_kill($sup, 15);
usleep(100000);
[$rc] = h2srv_curl($srv->url('/late'));
echo 'new connection after SIGTERM: ', $rc !== 0 ? "refused\n" : "served\n";
$out = stream_get_contents($ps[1]);
proc_close($slow);
echo 'slow request during SIGTERM: ', preg_match('/^pid \d+ worker \d 200$/', $out) ? "completed\n" : "lost ($out)\n";
echo 'supervisor exit code: ', $srv->wait(10), "\n";
$err = $srv->stderr();
echo 'logged: ', preg_match('/worker \d \(pid \d+\) was killed by signal 9; restarting it/', $err) ? 'SIGKILL' : '-', ', ',
    preg_match('/worker \d \(pid \d+\) exited with status 255 \(a PHP fatal error\?\); restarting it/', $err) ? 'fatal' : '-', "\n";
echo $srv->stdout();
?>
--EXPECTF--
workers: 2
two 0.6 s requests overlapped: yes; served by worker 0 and worker 1
killed worker replaced: yes
answers after the kill: yes
worker with a fatal error replaced: yes
answers after the fatal error: yes
new connection after SIGTERM: refused
slow request during SIGTERM: completed
supervisor exit code: 0
logged: SIGKILL, fatal
%A
Fatal error: this worker dies in %A
run returned
