--TEST--
php --ri h2srv lists the extension with the OpenSSL, nghttp2 and libuv versions it runs with, and whether h2srv seals TLS 1.3 records: on this platform (Linux, OpenSSL 3.0) yes, after sealing RFC 8448's published record byte for byte
--SKIPIF--
<?php require __DIR__ . '/inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
[$rc, $out] = h2srv_run([...h2srv_php(), '-n', '-d', 'extension=' . h2srv_so(), '--ri', 'h2srv']);
echo $out;
?>
--EXPECTF--
h2srv

h2srv support => enabled
Version => %d.%d.%d
OpenSSL => OpenSSL %s
nghttp2 => %d.%d.%d
libuv => %d.%d.%d
TLS 1.3 records sealed by h2srv => available (self-check against RFC 8448 passed)
dispatch "connection" => a worker owns its connections and runs their handlers, one at a time (default with 1 worker); the least server CPU per request: for handlers that never block
dispatch "request" => reactors own the connections; each request goes to whichever worker is free, through shared memory (default with more workers; a blocked handler stalls nothing else); measured at 0.9 to 1.7 times connection dispatch's server CPU per request, the most for tiny responses with thousands in flight (README, Bench): for applications

Directive => Local Value => Master Value
h2srv.byte_cap => %d => %d
h2srv.tls_emit => gather => gather
h2srv.tls_seal => h2srv => h2srv
h2srv.tls_key_records => 8388608 => 8388608
h2srv.dispatch => no value => no value
