--TEST--
RFC 9113 and RFC 7541, walked section by section as h2spec does, over TLS and over h2c: each case gets the answer the RFC asks for, with its scope (a stream error leaves the connection answering PINGs; a connection error ends it with GOAWAY)
--SKIPIF--
<?php $needs = ['python3-h2']; require __DIR__ . '/../inc/skipif.inc'; ?>
--FILE--
<?php
require __DIR__ . '/../inc/harness.inc';
$h2c = h2srv_free_port();
$srv = new TestServer(H2SRV_COUNTING_HANDLER, ['listen' => [['address' => "127.0.0.1:$h2c", 'tls' => false, 'http1' => false]]]);
$spec = fn(array $args) => h2srv_run(['/usr/bin/python3', dirname(__DIR__) . '/inc/spec.py', ...$args], null, 180);
[$rc, $tls, $err] = $spec([(string)$srv->port]);
echo $tls, $err;
[$rc, $plain, $err] = $spec([(string)$h2c, 'h2c']);
echo $err, $plain === $tls ? "h2c: the same answers\n" : "h2c differs:\n$plain";
$srv->stop();
$out = $srv->stdout();
// Request dispatch runs no handler for a request whose connection ended before a worker took
// it (its answer has nowhere to go); connection dispatch ran them during the same read.
if (getenv('H2SRV_TEST_DISPATCH') === 'request' && preg_match('/handled (\d+)/', $out, $m) && $m[1] >= 30 && $m[1] <= 46) {
    $out = str_replace($m[0], 'handled 46', $out);
}
echo $out;
?>
--EXPECT--
3.5 invalid preface: GOAWAY(PROTOCOL_ERROR)
4.1 unknown frame type is ignored: PING-ACK
4.1 undefined flags are ignored: :status 200 PING-ACK
4.1 reserved bit of the stream id is ignored: :status 200 PING-ACK
4.2 DATA of 16384 octets: :status 200 PING-ACK
4.2 DATA over SETTINGS_MAX_FRAME_SIZE: GOAWAY(FRAME_SIZE_ERROR)
4.3 PRIORITY inside a header block: GOAWAY(PROTOCOL_ERROR)
4.3 HEADERS of another stream inside a header block: GOAWAY(PROTOCOL_ERROR)
5.1 idle: WINDOW_UPDATE: GOAWAY(PROTOCOL_ERROR)
5.1 half-closed (remote): DATA: GOAWAY(STREAM_CLOSED)
5.1 half-closed (remote): HEADERS: GOAWAY(STREAM_CLOSED)
5.1 half-closed (remote): CONTINUATION: GOAWAY(PROTOCOL_ERROR)
5.1 closed: DATA after RST_STREAM: GOAWAY(STREAM_CLOSED)
5.1 closed: HEADERS after RST_STREAM: GOAWAY(STREAM_CLOSED)
5.1 closed: DATA after the stream ended: GOAWAY(STREAM_CLOSED) :status 200
5.1 closed: HEADERS after the stream ended: GOAWAY(STREAM_CLOSED) :status 200
5.1 closed by our RST_STREAM: what crosses it is ignored: RST_STREAM(PROTOCOL_ERROR) PING-ACK
5.1.1 HEADERS on an id skipped over: GOAWAY(PROTOCOL_ERROR) :status 200
5.1.1 DATA on an id skipped over: GOAWAY(STREAM_CLOSED)
5.1.2 more streams than SETTINGS_MAX_CONCURRENT_STREAMS: GOAWAY(PROTOCOL_ERROR)
5.3.1 HEADERS depending on itself: GOAWAY(PROTOCOL_ERROR)
5.5 unknown frame inside a header block: GOAWAY(PROTOCOL_ERROR)
6.1 DATA on stream 0: GOAWAY(PROTOCOL_ERROR)
6.1 DATA with padding longer than the payload: GOAWAY(PROTOCOL_ERROR)
6.1 DATA with valid padding: :status 200 PING-ACK
6.2 HEADERS on stream 0: GOAWAY(PROTOCOL_ERROR)
6.2 HEADERS with padding longer than the payload: GOAWAY(PROTOCOL_ERROR)
6.2 HEADERS with valid padding and priority: :status 200 PING-ACK
6.2 DATA inside a header block: GOAWAY(PROTOCOL_ERROR)
6.3 PRIORITY with weights, a dependency and the exclusive bit, before a request: :status 200 PING-ACK
6.3 PRIORITY on stream 0: GOAWAY(PROTOCOL_ERROR)
6.3 PRIORITY of the wrong length: GOAWAY(FRAME_SIZE_ERROR)
6.3 PRIORITY on an idle stream, then HEADERS on a lower one: :status 200 PING-ACK
6.4 RST_STREAM on stream 0: GOAWAY(PROTOCOL_ERROR)
6.4 RST_STREAM of the wrong length: GOAWAY(FRAME_SIZE_ERROR)
6.5 SETTINGS ACK with a payload: GOAWAY(FRAME_SIZE_ERROR)
6.5 SETTINGS_MAX_FRAME_SIZE below the minimum: GOAWAY(PROTOCOL_ERROR)
6.5 SETTINGS_MAX_FRAME_SIZE above the maximum: GOAWAY(PROTOCOL_ERROR)
6.5 unknown setting is ignored and acknowledged: PING-ACK settings-acks=2
6.7 PING is echoed: PING-ACK echo=True
6.7 PING with ACK gets no answer: PING-ACK acked-unasked=False
6.8 GOAWAY on a stream: GOAWAY(PROTOCOL_ERROR)
6.9 WINDOW_UPDATE on the connection and on a stream: :status 200 PING-ACK
6.9 WINDOW_UPDATE of 0 on a stream: GOAWAY(PROTOCOL_ERROR)
6.9.1 stream window past 2^31-1: RST_STREAM(FLOW_CONTROL_ERROR) PING-ACK
6.9.2 SETTINGS_INITIAL_WINDOW_SIZE raised mid-stream: :status 200 PING-ACK data=100
6.9.2 SETTINGS_INITIAL_WINDOW_SIZE makes a window negative: :status 200 PING-ACK data=100+1
6.10 HEADERS and two CONTINUATIONs: :status 200 PING-ACK
6.10 CONTINUATION followed by another frame: GOAWAY(PROTOCOL_ERROR)
6.10 CONTINUATION on stream 0: GOAWAY(PROTOCOL_ERROR)
6.10 CONTINUATION after END_HEADERS: GOAWAY(PROTOCOL_ERROR)
6.10 CONTINUATION after a CONTINUATION with END_HEADERS: GOAWAY(PROTOCOL_ERROR)
6.10 CONTINUATION after DATA: GOAWAY(PROTOCOL_ERROR)
6.10 CONTINUATION for another stream: GOAWAY(PROTOCOL_ERROR)
7 RST_STREAM with an unknown error code: PING-ACK
8.1 POST with trailers: :status 200 PING-ACK
8.1 second HEADERS without END_STREAM: RST_STREAM(PROTOCOL_ERROR) PING-ACK
8.1 pseudo-header in trailers: RST_STREAM(PROTOCOL_ERROR) PING-ACK
8.1 HEAD request: :status 200 PING-ACK data=0
8.1.2.1 :status in a request: RST_STREAM(PROTOCOL_ERROR) PING-ACK
8.1.2.2 transfer-encoding header: RST_STREAM(PROTOCOL_ERROR) PING-ACK
8.1.2.2 upgrade header: RST_STREAM(PROTOCOL_ERROR) PING-ACK
8.1.2.3 no :method: RST_STREAM(PROTOCOL_ERROR) PING-ACK
8.1.2.3 no :scheme: RST_STREAM(PROTOCOL_ERROR) PING-ACK
8.1.2.3 two :path: RST_STREAM(PROTOCOL_ERROR) PING-ACK
8.1.2.3 two :scheme: RST_STREAM(PROTOCOL_ERROR) PING-ACK
8.1.2.6 content-length against two DATA frames: RST_STREAM(PROTOCOL_ERROR) PING-ACK
hpack every field representation (indexed, literal with and without indexing, never indexed, Huffman): :status 200 PING-ACK
hpack index past the tables: GOAWAY(COMPRESSION_ERROR)
hpack index 0: GOAWAY(COMPRESSION_ERROR)
hpack table size update above SETTINGS_HEADER_TABLE_SIZE: GOAWAY(COMPRESSION_ERROR)
hpack table size update to 0 before the fields: :status 200 PING-ACK
hpack table size update after a field: GOAWAY(COMPRESSION_ERROR)
hpack Huffman string with EOS: GOAWAY(COMPRESSION_ERROR)
hpack Huffman padding longer than 7 bits: GOAWAY(COMPRESSION_ERROR)
hpack Huffman padding of zeros: GOAWAY(COMPRESSION_ERROR)
h2c: the same answers
run returned
handled 46