--TEST--
SIGHUP reloads the certificate (one worker in-process, two by replacing workers): new connections see the new certificate, 20,000 requests from curl spanning the reload are all answered, and a broken certificate is refused with the old one kept
--SKIPIF--
<?php $needs = ['curl', 'openssl']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
foreach ([1, 2] as $workers) {
    $dir = sys_get_temp_dir() . '/h2srv-reload-' . getmypid();
    @mkdir($dir);
    $fp1 = h2srv_make_cert("$dir/cert.pem", "$dir/key.pem");
    $srv = new TestServer('$server->handle(fn($req, $res) => $res->header("x-pid", (string)getmypid())->end("ok"));', ['workers' => $workers, 'cert' => "$dir/cert.pem", 'key' => "$dir/key.pem"]);
    echo "workers=$workers\n";
    echo '  serves the first certificate: ', h2srv_served_fingerprint($srv->port) === $fp1 ? "yes\n" : "no\n";

    $fp2 = h2srv_make_cert("$dir/new-cert.pem", "$dir/new-key.pem");
    // One process reloads in place; a supervisor (workers, or request dispatch) replaces workers.
    $supervised = $workers > 1 || getenv('H2SRV_TEST_DISPATCH') === 'request';
    $before = $supervised ? h2srv_children($srv->pid()) : [$srv->pid()];
    // 20,000 requests multiplexed by curl, which (like browsers) opens a new connection when
    // told to go away and retries what the server did not accept; the reload lands after the
    // first 4,000 answers.
    $n = 20000;
    $cfg = "$dir/curl.cfg";
    file_put_contents($cfg, implode('', array_map(fn($i) => "url = \"{$srv->url("/?$i")}\"\noutput = \"/dev/null\"\n", range(1, $n))));
    $load = proc_open(['curl', '-sk', '--http2', '-Z', '--parallel-max', '16', '-K', $cfg, '-w', "%{http_code} %header{x-pid}\n"],
        [1 => ['pipe', 'w'], 2 => ['file', '/dev/null', 'w']], $pipes);
    $lines = [];
    while (count($lines) < 4000 && ($line = fgets($pipes[1])) !== false) {
        $lines[] = $line;
    }
    rename("$dir/new-cert.pem", "$dir/cert.pem");
    rename("$dir/new-key.pem", "$dir/key.pem");
    h2srv_kill($srv->pid(), 1);
    while (($line = fgets($pipes[1])) !== false) {
        $lines[] = $line;
    }
    $rc = proc_close($load);
    $codes = array_count_values(array_map(fn($l) => explode(' ', $l)[0], $lines));
    $pids = array_unique(array_map(fn($l) => (int)explode(' ', $l)[1], $lines));
    echo "  curl across the reload: exit $rc, ", count($lines) === $n && $codes === ['200' => $n] ? "every request answered 200" : json_encode($codes), "\n";
    $by = $supervised ? (array_diff($pids, $before) ? 'new workers' : 'only the old workers') : (array_values($pids) === $before ? 'the same process' : 'another process');
    echo '  answered after the reload by ', $by === ($supervised ? 'new workers' : 'the same process') ? 'the process(es) this mode promises' : $by, "\n";
    // Replaced workers finish what they hold; new connections go to the new ones. The switch
    // takes a moment (the old workers close their listeners when they handle SIGTERM), then
    // every new connection sees the new certificate.
    $switched = h2srv_eventually(fn() => h2srv_served_fingerprint($srv->port) === $fp2, 5);
    $stays = $switched && count(array_filter(range(1, 4), fn() => h2srv_served_fingerprint($srv->port) === $fp2)) === 4;
    echo '  new connections see the new certificate: ', $stays ? "yes\n" : "no\n";

    file_put_contents("$dir/cert.pem", "not a certificate\n");
    h2srv_kill($srv->pid(), 1);
    usleep(300000);
    echo '  after a broken reload it still serves: ', h2srv_served_fingerprint($srv->port) === $fp2 ? "the new certificate\n" : "something else\n";
    echo '  exit code: ', $srv->stop(), "\n";
    echo '  logged: ', preg_match('/reload failed, keeping the old certificate: cert file ".*cert.pem" holds no usable certificate/', $srv->stderr()) ? "reload failed\n" : $srv->stderr();
    array_map('unlink', glob("$dir/*"));
    rmdir($dir);
}
?>
--EXPECT--
workers=1
  serves the first certificate: yes
  curl across the reload: exit 0, every request answered 200
  answered after the reload by the process(es) this mode promises
  new connections see the new certificate: yes
  after a broken reload it still serves: the new certificate
  exit code: 0
  logged: reload failed
workers=2
  serves the first certificate: yes
  curl across the reload: exit 0, every request answered 200
  answered after the reload by the process(es) this mode promises
  new connections see the new certificate: yes
  after a broken reload it still serves: the new certificate
  exit code: 0
  logged: reload failed
