<?php
// The smallest h2srv server: php -d extension=h2srv.so examples/hello.php
$dir = getenv('H2SRV_CERT_DIR') ?: __DIR__ . '/../.dev';
// ./run.sh cert makes an ECDSA and an RSA certificate: each client gets the one it takes.
$pair = is_file("$dir/cert-rsa.pem");
$server = new H2srv\Server([
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert'   => $pair ? ["$dir/cert.pem", "$dir/cert-rsa.pem"] : "$dir/cert.pem",
    'key'    => $pair ? ["$dir/key.pem", "$dir/key-rsa.pem"] : "$dir/key.pem",
]);
$server->handle(function (H2srv\Request $req, H2srv\Response $res): void {
    $res->status(200)->header('content-type', 'text/plain')->end("hello\n");
});
$server->run();
