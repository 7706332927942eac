<?php
// The smallest h2srv server: php -d extension=h2srv.so examples/hello.php
$dir = getenv('H2SRV_CERT_DIR') ?: __DIR__ . '/../.dev';
$server = new H2srv\Server([
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert'   => "$dir/cert.pem",
    'key'    => "$dir/key.pem",
]);
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $res->status(200)->header('content-type', 'text/plain')->end("hello\n");
});
$server->run();
