<?php
// Streaming responses, pulled as the client's flow-control window opens:
//   GET /numbers?count=N   N lines "1\n2\n…", generated 64 KiB at a time (memory stays flat)
//   GET /events?n=N        server-sent events: one per 200 ms from a timer, then the end
// php -d extension=h2srv.so examples/stream.php
//   curl -k --http2 'https://127.0.0.1:8443/numbers?count=1000000' | tail -1
//   curl -k --http2 -N 'https://127.0.0.1:8443/events?n=5'
$dir = getenv('H2SRV_CERT_DIR') ?: __DIR__ . '/../.dev';
$server = new H2srv\Server([
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert'   => "$dir/cert.pem",
    'key'    => "$dir/key.pem",
]);
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server): void {
    $q = $req->queryParams();
    switch ($req->path()) {
    case '/numbers':
        $next = 1;
        $last = max(0, (int)($q['count'] ?? 10));
        $res->header('content-type', 'text/plain')->stream(function () use (&$next, $last): ?string {
            // Called whenever less than 16 KiB waits to be sent; null ends the body.
            $chunk = '';
            while ($next <= $last && strlen($chunk) < 65536) {
                $chunk .= $next++ . "\n";
            }
            return $chunk === '' ? null : $chunk;
        });
        return;
    case '/events':
        $queue = [];
        $sent = 0;
        $total = max(1, (int)($q['n'] ?? 5));
        $res->header('content-type', 'text/event-stream')->header('cache-control', 'no-cache')
            ->stream(function () use (&$queue, &$sent, $total) {
                // A queued event, the end once all went out, or false: pause until resume().
                return $queue ? array_shift($queue) : ($sent >= $total ? null : false);
            });
        $timer = $server->every(200, function () use (&$queue, &$sent, &$timer, $total, $res, $server): void {
            $queue[] = 'data: event ' . ++$sent . ' at ' . date('H:i:s') . "\n\n";
            $res->resume();
            if ($sent >= $total) {
                $server->cancel($timer);
            }
        });
        return;
    default:
        $res->status(404)->end("try /numbers?count=N or /events?n=N\n");
    }
});
$server->run();
