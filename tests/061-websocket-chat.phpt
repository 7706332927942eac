--TEST--
examples/chat.php with 2 workers: 101 WebSocket clients join the room (their sockets spread over both worker processes), one of them says something, and all 101 get it exactly once, whichever worker holds them; members who leave are no longer sent to
--SKIPIF--
<?php $needs = ['python3:websockets']; require __DIR__ . '/inc/skipif.inc'; ?>
--CONFLICTS--
load
--FILE--
<?php
require __DIR__ . '/inc/harness.inc';
$srv = TestServer::example('chat.php');
$client = <<<'PY'
import asyncio, ssl, sys, websockets
ctx = ssl.create_default_context()
ctx.check_hostname = False
ctx.verify_mode = ssl.CERT_NONE
async def main():
    url = sys.argv[1]
    # all at once, so that both workers take some (in request dispatch the first free worker
    # takes each handshake); each is a member once its welcome came
    socks = await asyncio.gather(*(websockets.connect(url, ssl=ctx) for _ in range(101)))
    ids = [(await s.recv()).split()[1] for s in socks]
    print('sockets held by %d worker processes' % len(set(i.split('.')[0] for i in ids)))
    await socks[0].send('hello room')
    got = await asyncio.gather(*(asyncio.wait_for(s.recv(), 10) for s in socks))
    senders = set(g.split(':')[0] for g in got)
    print('%d of 101 got it; from one sender: %s' % (sum(g.endswith(': hello room') for g in got), len(senders) == 1))
    extra = await asyncio.gather(*(asyncio.wait_for(s.recv(), 0.5) for s in socks), return_exceptions=True)
    print('nothing else came: %s' % all(isinstance(e, asyncio.TimeoutError) for e in extra))
    for s in socks[50:]:
        await s.close()
    await asyncio.sleep(0.5)
    await socks[1].send('after')
    got = await asyncio.gather(*(asyncio.wait_for(s.recv(), 10) for s in socks[:50]))
    print('after 51 left: %d of 50 got it' % sum(g.endswith(': after') for g in got))
asyncio.run(main())
PY;
[$rc, $out, $err] = h2srv_run(['/usr/bin/python3', '-c', $client, 'wss://127.0.0.1:' . $srv->port . '/chat'], null, 60);
echo $out ?: $err;
[, $page] = h2srv_curl($srv->url('/'));
echo str_contains($page, 'new WebSocket') ? "the page is served\n" : "no page: $page\n";
$srv->stop();
?>
--EXPECT--
sockets held by 2 worker processes
101 of 101 got it; from one sender: True
nothing else came: True
after 51 left: 50 of 50 got it
the page is served
