<?php
// The h2srv side of bench/ws.sh: a WebSocket echo, cleartext (h2c and HTTP/1.1); one process, or
// with DISPATCH=request a reactor and a worker.
$server = new H2srv\Server(['listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8080', 'tls' => false,
    'max_concurrent_streams' => 1000]
    + (getenv('DISPATCH') === 'request' ? ['dispatch' => 'request', 'workers' => 1] : []));
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $ws = $res->acceptWebSocket();
    $ws->onMessage(fn(string $data, bool $binary) => $ws->send($data, $binary));
});
$server->run();
