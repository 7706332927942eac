<?php
// Bench target: one worker answering /3, /16k and /64k with bodies built once at start.
// H2SRV_TLS=0 serves cleartext HTTP/2 (h2c) for the +h2c targets.
$bodies = ['/3' => "ok\n", '/16k' => str_repeat('a', 16384), '/64k' => str_repeat('b', 65536)];
$server = new H2srv\Server([
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert' => getenv('H2SRV_CERT'),
    'key' => getenv('H2SRV_KEY'),
] + (getenv('H2SRV_TLS') === '0' ? ['tls' => false] : [])
  + (getenv('H2SRV_IDLE_TIMEOUT') ? ['idle_timeout' => (int)getenv('H2SRV_IDLE_TIMEOUT')] : []));
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($bodies): void {
    $res->header('content-type', 'text/plain')->end($bodies[$req->path()] ?? '');
});
$server->run();
