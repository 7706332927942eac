<?php
// Bench target: one worker answering /3, /16k and /64k with bodies built once at start.
// H2SRV_TLS=0 serves cleartext HTTP/2 (h2c) for the +h2c targets; H2SRV_STATIC=DIR serves the
// files of DIR from a static mount instead (the handler is not called); H2SRV_COMPRESSION=gzip
// (or br, zstd) codes /json64k, a JSON body (the file H2SRV_JSON names, or one made here).
$bodies = ['/3' => "ok\n", '/16k' => str_repeat('a', 16384), '/64k' => str_repeat('b', 65536)];
$json = json_encode(array_map(fn($i) => ['id' => $i, 'name' => "item $i", 'price' => $i * 1.5, 'tags' => ['a', 'b']],
    range(1, 1100)));
$bodies['/json64k'] = getenv('H2SRV_JSON') ? file_get_contents(getenv('H2SRV_JSON')) : $json;
$server = new H2srv\Server([
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8443',
    'cert' => getenv('H2SRV_CERT'),
    'key' => getenv('H2SRV_KEY'),
] + (getenv('H2SRV_TLS') === '0' ? ['tls' => false] : [])
  + (getenv('H2SRV_IDLE_TIMEOUT') ? ['idle_timeout' => (int)getenv('H2SRV_IDLE_TIMEOUT')] : [])
  + (getenv('H2SRV_STATIC') ? ['static' => ['/' => getenv('H2SRV_STATIC')]] : [])
  + (getenv('H2SRV_COMPRESSION') ? ['compression' => [getenv('H2SRV_COMPRESSION')]] : []));
$server->handle(function (H2srv\Request $req, H2srv\Response $res) use ($bodies): void {
    $res->header('content-type', $req->path() === '/json64k' ? 'application/json' : 'text/plain')
        ->end($bodies[$req->path()] ?? '');
});
$server->run();
