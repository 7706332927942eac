--TEST--
SIGHUP reloads the certificate (one worker in-process, two by replacing workers): new connections see the new certificate, an h2load run spanning the reload has 0 failed and 0 errored, and a broken certificate is refused with the old one kept
--SKIPIF--
<?php $needs = ['h2load', 'openssl']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
foreach ([1, 2] as $workers) {
    $dir = sys_get_temp_dir() . '/h2srv-reload-' . getmypid();
    @mkdir($dir);
    $fp1 = h2srv_make_cert("$dir/cert.pem", "$dir/key.pem");
    $srv = new TestServer(H2SRV_COUNTING_HANDLER, ['workers' => $workers, 'cert' => "$dir/cert.pem", 'key' => "$dir/key.pem"]);
    echo "workers=$workers\n";
    echo '  serves the first certificate: ', h2srv_served_fingerprint($srv->port) === $fp1 ? "yes\n" : "no\n";

    $load = proc_open(['h2load', '-D', '3', '-c', '8', '-m', '8', '-t', '1', $srv->url('/')], [1 => ['pipe', 'w'], 2 => ['pipe', 'w']], $pipes);
    usleep(1000000);
    $fp2 = h2srv_make_cert("$dir/new-cert.pem", "$dir/new-key.pem");
    rename("$dir/new-cert.pem", "$dir/cert.pem");
    rename("$dir/new-key.pem", "$dir/key.pem");
    h2srv_kill($srv->pid(), 1);
    $out = stream_get_contents($pipes[1]);
    proc_close($load);
    preg_match('/requests: \d+ total, \d+ started, (\d+) done, \d+ succeeded, (\d+) failed, (\d+) errored/', $out, $m);
    echo "  h2load across the reload: ", $m[1] > 0 ? 'requests done' : 'nothing done', ", $m[2] failed, $m[3] errored\n";
    echo '  new connections see the new certificate: ', h2srv_served_fingerprint($srv->port) === $fp2 ? "yes\n" : "no\n";

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
  h2load across the reload: requests done, 0 failed, 0 errored
  new connections see the new certificate: yes
  after a broken reload it still serves: the new certificate
  exit code: 0
  logged: reload failed
workers=2
  serves the first certificate: yes
  h2load across the reload: requests done, 0 failed, 0 errored
  new connections see the new certificate: yes
  after a broken reload it still serves: the new certificate
  exit code: 0
  logged: reload failed
