--TEST--
Logs: an access log line per request (time, peer, method, path, status, body bytes, seconds, stream id, protocol) in a file; the error log with levels in a file, filtered by log_level
--SKIPIF--
<?php $needs = ['curl', 'openssl']; require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$dir = sys_get_temp_dir() . '/h2srv-logs-' . getmypid();
@mkdir($dir);
foreach (['info', 'error'] as $level) {
    @unlink("$dir/access.log");
    @unlink("$dir/error.log");
    $srv = new TestServer(<<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    if ($req->path() === '/boom') {
        throw new RuntimeException('kaboom');
    }
    $res->status($req->path() === '/missing' ? 404 : 200)->end(str_repeat('x', 1000));
});
PHP, ['access_log' => "$dir/access.log", 'error_log' => "$dir/error.log", 'log_level' => $level]);
    h2srv_curl($srv->url('/hello?x=1'));
    h2srv_curl($srv->url('/missing'), ['-X', 'POST', '-d', 'body']);
    h2srv_curl($srv->url('/boom'));
    h2srv_run(['curl', '-sk', '--http1.1', $srv->url('/one')]);
    h2srv_run(['openssl', 's_client', '-connect', "127.0.0.1:{$srv->port}", '-alpn', 'spdy/3'], '');
    $srv->stop();
    echo "log_level=$level\n";
    foreach (file("$dir/access.log", FILE_IGNORE_NEW_LINES) as $line) {
        echo '  access: ', preg_replace('/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /', 'TIME ', preg_replace('/ \d+\.\d{3} /', ' SECS ', $line)), "\n";
    }
    foreach (file("$dir/error.log", FILE_IGNORE_NEW_LINES) as $line) {
        echo '  error: ', preg_replace('/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z /', 'TIME ', $line), "\n";
    }
    echo '  stderr: ', $srv->stderr() === '' ? "empty\n" : $srv->stderr();
}
array_map('unlink', glob("$dir/*"));
rmdir($dir);
?>
--EXPECT--
log_level=info
  access: TIME 127.0.0.1 GET /hello?x=1 200 1000 SECS 1 HTTP/2
  access: TIME 127.0.0.1 POST /missing 404 1000 SECS 1 HTTP/2
  access: TIME 127.0.0.1 GET /boom 500 0 SECS 1 HTTP/2
  access: TIME 127.0.0.1 GET /one 200 1000 SECS 1 HTTP/1.1
  error: TIME error h2srv: handler threw RuntimeException for /boom: kaboom; answered 500
  error: TIME info h2srv: TLS handshake failed with 127.0.0.1: no application protocol
  stderr: empty
log_level=error
  access: TIME 127.0.0.1 GET /hello?x=1 200 1000 SECS 1 HTTP/2
  access: TIME 127.0.0.1 POST /missing 404 1000 SECS 1 HTTP/2
  access: TIME 127.0.0.1 GET /boom 500 0 SECS 1 HTTP/2
  access: TIME 127.0.0.1 GET /one 200 1000 SECS 1 HTTP/1.1
  error: TIME error h2srv: handler threw RuntimeException for /boom: kaboom; answered 500
  stderr: empty
