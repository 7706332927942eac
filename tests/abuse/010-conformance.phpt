--TEST--
RFC 9113 conformance: each malformed frame or request gets the error and the scope (stream or connection) the RFC asks for
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$srv = new TestServer(H2SRV_COUNTING_HANDLER);
[$rc, $out, $err] = h2srv_run(['/usr/bin/python3', dirname(__DIR__) . '/inc/rawpeer.py', (string)$srv->port, 'conformance'], null, 120);
echo $out, $err;
$srv->stop();
echo $srv->stdout();
?>
--EXPECT--
data-on-idle-stream: GOAWAY(PROTOCOL_ERROR)
even-stream-id: GOAWAY(PROTOCOL_ERROR)
stream-id-backwards: GOAWAY(PROTOCOL_ERROR) :status 200
frame-too-large: GOAWAY(FRAME_SIZE_ERROR)
missing-path: RST_STREAM(PROTOCOL_ERROR)
empty-path: RST_STREAM(PROTOCOL_ERROR)
duplicate-method: RST_STREAM(PROTOCOL_ERROR)
unknown-pseudo-header: RST_STREAM(PROTOCOL_ERROR)
pseudo-after-regular: RST_STREAM(PROTOCOL_ERROR)
connection-header: RST_STREAM(PROTOCOL_ERROR)
te-not-trailers: RST_STREAM(PROTOCOL_ERROR)
te-trailers: :status 200
uppercase-header-name: RST_STREAM(PROTOCOL_ERROR)
content-length-mismatch: RST_STREAM(PROTOCOL_ERROR)
window-update-overflow: GOAWAY(FLOW_CONTROL_ERROR)
window-update-zero-on-connection: GOAWAY(PROTOCOL_ERROR)
settings-bad-window: GOAWAY(FLOW_CONTROL_ERROR)
settings-bad-push: GOAWAY(PROTOCOL_ERROR)
settings-bad-length: GOAWAY(FRAME_SIZE_ERROR)
settings-on-stream: GOAWAY(PROTOCOL_ERROR)
ping-bad-length: GOAWAY(FRAME_SIZE_ERROR)
ping-on-stream: GOAWAY(PROTOCOL_ERROR)
window-update-bad-length: GOAWAY(FRAME_SIZE_ERROR)
push-promise-from-client: GOAWAY(PROTOCOL_ERROR)
continuation-without-headers: GOAWAY(PROTOCOL_ERROR)
bad-hpack: GOAWAY(COMPRESSION_ERROR)
rst-on-idle-stream: GOAWAY(PROTOCOL_ERROR)
self-dependency: GOAWAY(PROTOCOL_ERROR)
run returned
handled 2
