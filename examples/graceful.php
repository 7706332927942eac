<?php
// Graceful shutdown: SIGTERM (or GET /shutdown) stops accepting, lets in-flight requests finish
// (up to shutdown_timeout), then run() returns and the script goes on to clean up.
// With 'workers' => N the same happens in every process; run() returns in the supervisor.
$dir = getenv('H2SRV_CERT_DIR') ?: __DIR__ . '/../.dev';
$server = new H2srv\Server([
    'listen'           => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert'             => "$dir/cert.pem",
    'key'              => "$dir/key.pem",
    'shutdown_timeout' => 5,
]);
$served = 0;
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($server, &$served): void {
    $served++;
    if ($req->path() === '/shutdown') {
        $server->stop();
    }
    $res->header('content-type', 'text/plain')->end("bye from request $served\n");
});
$server->run();
// $served counts this process's handler calls; stats() counts every process's (with workers,
// the handlers ran in them, not here).
echo "stopped after {$server->stats()['requests']} requests\n";
