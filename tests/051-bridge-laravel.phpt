--TEST--
Laravel bridge on a real app (examples/laravel, Laravel 8.83 from Debian's php-laravel-framework) served through H2srv\Bridge\Laravel: routes, JSON, forms, a 20 MiB upload moved into place, cookies, a redirect, 404 and 500, a StreamedResponse read incrementally, a 50 MiB BinaryFileResponse byte-exact and by range, no state left from one request in the next, and 10,000 requests with memory flat; in both dispatch modes, over HTTP/2 and HTTP/1.1
--SKIPIF--
<?php
$needs = ['curl', 'h2load'];
require __DIR__ . '/inc/skipif.inc';
if (!is_file('/usr/share/php/Illuminate/autoload.php')) {
    die('skip Debian\'s php-laravel-framework is not installed');
}
?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
require __DIR__ . '/inc/app_checks.inc';
$files = sys_get_temp_dir() . '/h2srv-lv-files-' . getmypid();
@mkdir($files);
exec('head -c ' . (50 << 20) . ' /dev/urandom > ' . escapeshellarg("$files/big.bin"));
exec('head -c ' . (20 << 20) . ' /dev/urandom > ' . escapeshellarg("$files/upload.bin"));
[$cert, $key] = h2srv_cert();
foreach (['connection', 'request'] as $dispatch) {
    $srv = TestServer::app(dirname(__DIR__) . '/examples/laravel/server.php', ['APP_ENV' => 'production',
        'APP_DEBUG' => '0', 'APP_FILES_DIR' => $files, 'H2SRV_CERT' => $cert, 'H2SRV_KEY' => $key,
        'H2SRV_WORKERS' => '2', 'H2SRV_DISPATCH' => $dispatch]);
    foreach (['--http2', '--http1.1'] as $proto) {
        echo "== $dispatch dispatch, ", $proto === '--http2' ? 'HTTP/2' : 'HTTP/1.1', "\n";
        h2srv_app_checks("https://127.0.0.1:{$srv->port}", $proto, $files,
            ['note' => 'note: none, service: unbound', 'incremental' => $dispatch === 'request', 'ranges' => true]);
    }
    h2srv_app_memory($srv, "https://127.0.0.1:{$srv->port}/hello");
    $srv->stop();
    echo '  logged: ', preg_match('/boom from the route/', $srv->stderr() . $srv->stdout()) ? 'the exception' : 'nothing', "\n";
}
exec('rm -rf ' . escapeshellarg($files));
?>
--EXPECT--
== connection dispatch, HTTP/2
  hello: hello
  route with a parameter: ["world",{"x":"1","y":["2"]}], protocol seen: right
  JSON in and out: {"received":{"a":1,"b":[2,3]},"keys":2} 201
  form: {"fields":{"name":"h2srv","tags":["a","b"]}}
  20 MiB upload: moved into place, size and md5 match, name report.bin, title twenty MiB
  cookies read back: {"flavour":"chocolate","size":"large"}
  redirect: 302 /hello
  missing route: 404
  exception: 500, then: hello
  streamed: 3 chunks
  50 MiB download: 200 52428800 byte-exact
  range: 206 bytes 1000000-1999999/52428800, the right bytes
  state after a request stored some: stored abc, then "note: none, service: unbound" 3 times
== connection dispatch, HTTP/1.1
  hello: hello
  route with a parameter: ["world",{"x":"1","y":["2"]}], protocol seen: right
  JSON in and out: {"received":{"a":1,"b":[2,3]},"keys":2} 201
  form: {"fields":{"name":"h2srv","tags":["a","b"]}}
  20 MiB upload: moved into place, size and md5 match, name report.bin, title twenty MiB
  cookies read back: {"flavour":"chocolate","size":"large"}
  redirect: 302 /hello
  missing route: 404
  exception: 500, then: hello
  streamed: 3 chunks
  50 MiB download: 200 52428800 byte-exact
  range: 206 bytes 1000000-1999999/52428800, the right bytes
  state after a request stored some: stored abc, then "note: none, service: unbound" 3 times
  10,000 requests: 10000 succeeded, memory flat (under 4 MiB of growth)
  logged: the exception
== request dispatch, HTTP/2
  hello: hello
  route with a parameter: ["world",{"x":"1","y":["2"]}], protocol seen: right
  JSON in and out: {"received":{"a":1,"b":[2,3]},"keys":2} 201
  form: {"fields":{"name":"h2srv","tags":["a","b"]}}
  20 MiB upload: moved into place, size and md5 match, name report.bin, title twenty MiB
  cookies read back: {"flavour":"chocolate","size":"large"}
  redirect: 302 /hello
  missing route: 404
  exception: 500, then: hello
  streamed: 3 chunks, the first arrived before the last was printed
  50 MiB download: 200 52428800 byte-exact
  range: 206 bytes 1000000-1999999/52428800, the right bytes
  state after a request stored some: stored abc, then "note: none, service: unbound" 3 times
== request dispatch, HTTP/1.1
  hello: hello
  route with a parameter: ["world",{"x":"1","y":["2"]}], protocol seen: right
  JSON in and out: {"received":{"a":1,"b":[2,3]},"keys":2} 201
  form: {"fields":{"name":"h2srv","tags":["a","b"]}}
  20 MiB upload: moved into place, size and md5 match, name report.bin, title twenty MiB
  cookies read back: {"flavour":"chocolate","size":"large"}
  redirect: 302 /hello
  missing route: 404
  exception: 500, then: hello
  streamed: 3 chunks, the first arrived before the last was printed
  50 MiB download: 200 52428800 byte-exact
  range: 206 bytes 1000000-1999999/52428800, the right bytes
  state after a request stored some: stored abc, then "note: none, service: unbound" 3 times
  10,000 requests: 10000 succeeded, memory flat (under 4 MiB of growth)
  logged: the exception