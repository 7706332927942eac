--TEST--
WebSocket clients over HTTP/1.1: python3-websockets (cleartext) and Node's ws (TLS, two subprotocols offered, one taken) each echo 1000 messages, text and binary, up to 1 MiB; the same with permessage-deflate, and a compressed message that inflates past the limit closed with 1009; a reader that stops reading makes send() say false and onDrain fire, with PHP's heap bounded while 64 MiB go out; two workers reach each other's sockets with Server::sendTo(), in connection dispatch (each holds its connections) and in request dispatch (a socket stays with the worker that accepted it)
--SKIPIF--
<?php $needs = ['python3:websockets', 'node', 'node:ws']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$code = <<<'PHP'
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server): void {
    if (!$req->isWebSocket()) {
        $res->end("plain: {$req->method()} {$req->path()}\n");
        return;
    }
    $offered = (string)$req->header('sec-websocket-protocol');
    $ws = $res->acceptWebSocket((str_contains($offered, 'chat') ? ['subprotocol' => 'chat'] : [])
        + ['compression' => $req->path() === '/z']);
    $ws->onMessage(function (string $data, bool $binary) use ($ws, $server): void {
        if (preg_match('/^flood (\d+)$/', $data, $m)) {
            // as fast as send() allows: stop at false, go on at onDrain
            $left = (int)$m[1];
            $falses = $drains = 0;
            $chunk = str_repeat('x', 1 << 20);
            $pump = function () use (&$left, &$falses, $ws, $chunk): void {
                while ($left > 0) {
                    $left--;
                    if (!$ws->send($chunk, true)) {
                        $falses++;
                        return;
                    }
                }
            };
            $ws->onDrain(function () use (&$drains, &$left, &$falses, $pump): void {
                $drains++;
                $pump();
                if ($left === 0) {
                    printf("flood: send() said false %s, onDrain ran %s, peak heap %s\n", $falses > 0 ? 'yes' : 'never',
                        $drains > 0 ? 'yes' : 'never', memory_get_peak_usage() < 24 << 20 ? 'under 24 MiB' : memory_get_peak_usage());
                }
            });
            $pump();
            return;
        }
        if (str_starts_with($data, 'to ')) {
            [, $id, $msg] = explode(' ', $data, 3);
            $ws->send($server->sendTo($id, $msg) ? 'sent' : 'not sent');
            return;
        }
        if ($data === 'who') {
            $ws->send('id ' . $ws->id());
            return;
        }
        $ws->send($data, $binary);
    });
});
PHP;
$plain = new TestServer($code, ['tls' => false]);
$tls = new TestServer($code, []);
[$rc, $out, $err] = h2srv_run(['/usr/bin/python3', __DIR__ . '/inc/ws_python.py', "ws://127.0.0.1:{$plain->port}/echo", 'echo', '1000'], null, 120);
echo $out ?: $err;
$env = 'NODE_PATH=/usr/share/nodejs';
[$rc, $out, $err] = h2srv_run(['env', $env, 'node', __DIR__ . '/inc/ws_node.js', "wss://127.0.0.1:{$tls->port}/echo", '1000'], null, 120);
echo $out ?: $err;
[$rc, $out, $err] = h2srv_run(['/usr/bin/python3', __DIR__ . '/inc/ws_python.py', "ws://127.0.0.1:{$plain->port}/flood", 'slow', '64'], null, 120);
echo $out ?: $err;
// permessage-deflate: Node offers it, the server takes it on /z; a compressed message that
// inflates past websocket_max_message (a zip bomb: 32 MiB of zeros in 32 KiB) ends in 1009
[$rc, $out, $err] = h2srv_run(['env', $env, 'node', __DIR__ . '/inc/ws_node.js', "wss://127.0.0.1:{$tls->port}/z", '300'], null, 120);
echo $out ?: $err;
[$rc, $out, $err] = h2srv_run(['/usr/bin/python3', __DIR__ . '/inc/ws_python.py', "ws://127.0.0.1:{$plain->port}/z", 'bomb', '32'], null, 60);
echo $out ?: $err;
$plain->stop();
$tls->stop();
echo preg_match("/^flood: .*\$/m", $plain->stdout(), $m) ? $m[0] : "no flood line: " . $plain->stdout(), "\n";

// Two workers, in each dispatch mode: each socket learns its id (which names the worker process
// that holds it: in request dispatch the one that accepted it), then one reaches the others.
$chat = <<<'PY'
import asyncio, sys, websockets
async def main():
    # all at once: in request dispatch the first free worker takes each handshake
    socks = await asyncio.gather(*(websockets.connect(sys.argv[1]) for _ in range(8)))
    ids = []
    for s in socks:
        await s.send('who')
        ids.append((await s.recv())[3:])
    pids = set(i.split('.')[0] for i in ids)
    print('sockets on %d processes' % len(pids))
    ok = 0
    for i in range(1, 8):
        await socks[0].send('to %s hello %d' % (ids[i], i))
        if await socks[0].recv() == 'sent' and await socks[i].recv() == 'hello %d' % i:
            ok += 1
    await socks[0].send('to 1.1 nobody')
    print('sendTo reached %d of 7, an unknown id: %s' % (ok, await socks[0].recv()))
asyncio.run(main())
PY;
foreach (['connection', 'request'] as $mode) {
    $two = new TestServer($code, ['tls' => false, 'workers' => 2, 'dispatch' => $mode]);
    for ($try = 0; $try < 5; $try++) { // both workers may not get a socket: try again
        [$rc, $out, $err] = h2srv_run(['/usr/bin/python3', '-c', $chat, "ws://127.0.0.1:{$two->port}/chat"]);
        if (str_contains($out, 'on 2 processes')) {
            break;
        }
    }
    echo "$mode dispatch: ", str_replace("\n", "\n$mode dispatch: ", trim($out ?: $err)), "\n";
    $two->stop();
}
?>
--EXPECT--
python: echo ok 1000
node: echo ok 1000, subprotocol chat
node: closed 1000
python: read 64 messages, 67108864 bytes
node: echo ok 300, subprotocol chat, extensions permessage-deflate
node: closed 1000
python: a 32 MiB bomb in 32 KiB compressed: closed 1009 message too big
flood: send() said false yes, onDrain ran yes, peak heap under 24 MiB
connection dispatch: sockets on 2 processes
connection dispatch: sendTo reached 7 of 7, an unknown id: not sent
request dispatch: sockets on 2 processes
request dispatch: sendTo reached 7 of 7, an unknown id: not sent
