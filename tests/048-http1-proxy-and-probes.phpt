--TEST--
HTTP/1.1 infrastructure in front of h2srv: nginx (Debian's) with proxy_pass and an upstream keepalive pool, h2load through it with 0 errors over few upstream connections; a Kubernetes-style probe (HTTP/1.1 GET, Connection: close) every 100 ms across two SIGHUP reloads of two workers never fails
--SKIPIF--
<?php $needs = ['curl', 'h2load', 'nginx']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$plain = h2srv_free_port();
$srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) {
    $res->end($req->path() === '/healthz' ? "ok\n" : str_repeat('n', 2048));
});
register_shutdown_function(function () use ($server) {
    if (!empty($GLOBALS['h2srv_run_returned'])) {
        $h1 = $server->stats()['http1'];
        echo $h1['requests'] >= 20000 && $h1['connections'] <= 200
            ? "upstream keepalive: many requests over few connections\n"
            : "upstream keepalive: {$h1['requests']} requests over {$h1['connections']} connections\n";
    }
});
PHP, ['listen' => [['address' => "127.0.0.1:$plain", 'tls' => false]], 'workers' => 2]);

$dir = sys_get_temp_dir() . '/h2srv-nginx-' . getmypid();
@mkdir($dir);
$nport = h2srv_free_port();
file_put_contents("$dir/nginx.conf", <<<CONF
worker_processes 1;
daemon off;
pid $dir/nginx.pid;
error_log $dir/error.log;
events { worker_connections 1024; }
http {
    access_log off;
    client_body_temp_path $dir/body;
    proxy_temp_path $dir/proxy;
    upstream h2srv {
        server 127.0.0.1:$plain;
        keepalive 32;
    }
    server {
        listen 127.0.0.1:$nport;
        location / {
            proxy_pass http://h2srv;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header Host \$host;
        }
    }
}
CONF);
// nginx is no PHP: the sanitizer runtimes an ASan run preloads into php processes stay out of it.
$env = getenv();
unset($env['LD_PRELOAD']);
$nginx = proc_open(['nginx', '-c', "$dir/nginx.conf", '-p', $dir], [1 => ['file', '/dev/null', 'w'], 2 => ['file', "$dir/stderr", 'w']], $pipes, null, $env);
h2srv_eventually(fn() => @fsockopen('127.0.0.1', $nport) !== false, 5);
echo 'through nginx: ', h2srv_run(['curl', '-sS', "http://127.0.0.1:$nport/healthz"])[1];
$r = h2srv_h2load(['--h1', '-n', '20000', '-c', '20', '-t', '1', "http://127.0.0.1:$nport/"]);
echo "h2load via nginx: {$r['succeeded']} succeeded, {$r['failed']} failed, {$r['errored']} errored\n";
proc_terminate($nginx, 3); // SIGQUIT: graceful
if (!h2srv_eventually(fn() => !proc_get_status($nginx)['running'], 10)) {
    proc_terminate($nginx, 9);
}
proc_close($nginx);

// The probe: a fresh HTTP/1.1 connection each time, as kubelet's httpGet does.
$fails = $probes = 0;
$reloads = 0;
$t0 = microtime(true);
while (microtime(true) - $t0 < 5) {
    if ($reloads < 2 && microtime(true) - $t0 > 1 + 2 * $reloads) {
        h2srv_kill($srv->pid(), 1);
        $reloads++;
    }
    [$rc, $out] = h2srv_run(['curl', '-sS', '--http1.1', '-H', 'Connection: close', '--max-time', '2', "http://127.0.0.1:$plain/healthz"]);
    $probes++;
    $fails += $out === "ok\n" ? 0 : 1;
    usleep(100000);
}
echo "probes across $reloads reloads: ", $probes >= 30 ? 'many' : $probes, ", failed $fails\n";
$srv->stop();
echo $srv->stdout();
array_map("unlink", array_filter(glob("$dir/*"), "is_file"));
@rmdir("$dir/body");
@rmdir("$dir/proxy");
@rmdir($dir);
?>
--EXPECT--
through nginx: ok
h2load via nginx: 20000 succeeded, 0 failed, 0 errored
probes across 2 reloads: many, failed 0
run returned
upstream keepalive: many requests over few connections
