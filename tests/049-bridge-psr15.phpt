--TEST--
PSR-15 bridge: the same PSR-15 app (examples/psr15.php) on nyholm's and on guzzle's PSR-7 (Debian's packages): routes, JSON, forms, a 20 MiB multipart upload streamed from its spooled body into an UploadedFileInterface and moved into place, several set-cookie values, a redirect, 404, an exception (500, logged, the server goes on), an unsized body read incrementally, a 50 MiB file body sent with sendFile() byte-exact, and a Range of it answered by sendFile(); both dispatch modes, over HTTP/2 and HTTP/1.1
--SKIPIF--
<?php
$needs = ['curl', 'h2load'];
require __DIR__ . '/inc/skipif.inc';
if (!is_file('/usr/share/php/Nyholm/Psr7/autoload.php') || !is_file('/usr/share/php/GuzzleHttp/Psr7/autoload.php')) {
    die('skip Debian\'s php-nyholm-psr7 and php-guzzlehttp-psr7 are not installed');
}
?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
require __DIR__ . '/inc/app_checks.inc';
$files = sys_get_temp_dir() . '/h2srv-psr-files-' . getmypid();
@mkdir($files);
exec('head -c ' . (50 << 20) . ' /dev/urandom > ' . escapeshellarg("$files/big.bin"));
exec('head -c ' . (20 << 20) . ' /dev/urandom > ' . escapeshellarg("$files/upload.bin"));
[$cert, $key] = h2srv_cert();
foreach (['nyholm' => 'connection', 'guzzle' => 'request'] as $impl => $dispatch) {
    $srv = TestServer::app(dirname(__DIR__) . '/examples/psr15.php', ['APP_FILES_DIR' => $files,
        'H2SRV_CERT' => $cert, 'H2SRV_KEY' => $key, 'H2SRV_WORKERS' => '2', 'H2SRV_DISPATCH' => $dispatch], [$impl]);
    foreach (['--http2', '--http1.1'] as $proto) {
        echo "== $impl, $dispatch dispatch, ", $proto === '--http2' ? 'HTTP/2' : 'HTTP/1.1', "\n";
        h2srv_app_checks("https://127.0.0.1:{$srv->port}", $proto, $files,
            ['note' => null, 'incremental' => $dispatch === 'request', 'ranges' => true]);
    }
    h2srv_app_memory($srv, "https://127.0.0.1:{$srv->port}/hello");
    $srv->stop();
    echo '  logged: ', preg_match('/handler threw RuntimeException for \/boom: boom from the PSR-15 app; answered 500/', $srv->stderr()) ? 'the exception' : 'nothing', "\n";
}
exec('rm -rf ' . escapeshellarg($files));
?>
--EXPECT--
== nyholm, connection dispatch, HTTP/2
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
== nyholm, connection dispatch, HTTP/1.1
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
  10,000 requests: 10000 succeeded, memory flat (under 4 MiB of growth)
  logged: the exception
== guzzle, request dispatch, HTTP/2
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
== guzzle, request dispatch, HTTP/1.1
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
  10,000 requests: 10000 succeeded, memory flat (under 4 MiB of growth)
  logged: the exception