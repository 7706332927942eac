--TEST--
request dispatch: SIGHUP reloads the certificate in the reactor (open connections keep theirs) and replaces the workers one at a time without a GOAWAY, and max_requests replaces them the same way: h2load, which never reconnects, sees 0 failed requests across both
--SKIPIF--
<?php $needs = ['h2load', 'openssl']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$dir = sys_get_temp_dir() . '/h2srv-dreload-' . getmypid();
@mkdir($dir);
$fp1 = h2srv_make_cert("$dir/cert.pem", "$dir/key.pem");
$code = '$server->handle(fn($req, $res) => $res->header("x-pid", (string)getmypid())->end(str_repeat("x", (int)($req->query() ?: 3))));';
$srv = new TestServer($code, ['workers' => 2, 'dispatch' => 'request', 'cert' => "$dir/cert.pem", 'key' => "$dir/key.pem"]);
$sup = $srv->pid();
h2srv_eventually(fn() => count(h2srv_children($sup)) === 3, 5);
$before = h2srv_children($sup);

// h2load on 8 connections, 8 streams each, for 2 s, across two reloads 300 ms apart.
$t = microtime(true);
$load = proc_open(['h2load', '-D', '2', '-c', '8', '-m', '8', $srv->url('/?1000')],
    [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
usleep(300000);
$fp2 = h2srv_make_cert("$dir/new-cert.pem", "$dir/new-key.pem");
rename("$dir/new-cert.pem", "$dir/cert.pem");
rename("$dir/new-key.pem", "$dir/key.pem");
h2srv_kill($sup, 1);
usleep(300000);
h2srv_kill($sup, 1);
$out = stream_get_contents($pipes[1]);
proc_close($load);
preg_match('/requests: (\d+) total, \d+ started, (\d+) done, (\d+) succeeded, (\d+) failed, (\d+) errored/', $out, $m);
$took = microtime(true) - $t;
echo 'h2load across two reloads: ', $m[2] > 1000 && $m[2] === $m[3] ? 'every request done' : "$m[2] done", ", $m[4] failed, $m[5] errored; the reloads landed during it: ", $took > 1.0 ? 'yes' : "no ($took s)", "\n";
h2srv_eventually(fn() => count(h2srv_children($sup)) === 3, 5);
$after = h2srv_children($sup);
echo 'processes after: ', count($after), '; the reactor stayed: ', count(array_intersect($before, $after)) === 1 ? 'yes' : 'no',
    '; both workers replaced: ', count(array_diff($after, $before)) === 2 ? 'yes' : 'no', "\n";
echo 'new connections see the new certificate: ', h2srv_served_fingerprint($srv->port) === $fp2 && $fp2 !== $fp1 ? "yes\n" : "no\n";
echo 'exit code: ', $srv->stop(), "\n";

$srv = new TestServer($code, ['workers' => 2, 'dispatch' => 'request', 'max_requests' => 500]);
$r = h2srv_h2load(['-n', '20000', '-c', '8', '-m', '8', $srv->url('/?16384')]);
echo "h2load with max_requests 500: {$r['done']} done, {$r['failed']} failed, {$r['errored']} errored, {$r['2xx']} 2xx\n";
$srv->stop();
echo 'workers replaced: ', substr_count($srv->stderr(), '(max_requests); asking to be replaced') >= 30 ? 'at least 30 times' : substr_count($srv->stderr(), 'asking'), "\n";

// One worker whose bootstrap takes 800 ms: the one it replaces serves until it is ready, so the
// reload costs no wait (with no hand-over, requests would queue for the whole boot).
$srv = new TestServer(<<<'PHP'
function slow_boot(int $w): void { usleep(800000); }
$server->handle(fn($req, $res) => $res->end((string)getmypid()));
PHP, ['workers' => 1, 'dispatch' => 'request', 'bootstrap' => 'slow_boot']);
$first = h2srv_curl($srv->url('/'))[1];
$t0 = microtime(true);
h2srv_kill($srv->pid(), 1);
$worst = 0;
$pids = [];
while (microtime(true) - $t0 < 2.0) {
    $t = microtime(true);
    $pids[] = h2srv_curl($srv->url('/'))[1];
    $worst = max($worst, microtime(true) - $t);
    usleep(50000);
}
$seen = array_values(array_unique($pids));
echo 'a reload with an 800 ms bootstrap: the old worker answered until the new one was ready: ',
    count($seen) === 2 && $seen[0] === $first ? 'yes' : json_encode($seen), '; slowest request ',
    $worst < 0.5 ? 'under 500 ms' : round($worst * 1000) . ' ms', "\n";
$srv->stop();
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
h2load across two reloads: every request done, 0 failed, 0 errored; the reloads landed during it: yes
processes after: 3; the reactor stayed: yes; both workers replaced: yes
new connections see the new certificate: yes
exit code: 0
h2load with max_requests 500: 20000 done, 0 failed, 0 errored, 20000 2xx
workers replaced: at least 30 times
a reload with an 800 ms bootstrap: the old worker answered until the new one was ready: yes; slowest request under 500 ms
