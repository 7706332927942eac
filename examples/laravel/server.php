<?php

// A small Laravel 8 app on h2srv: php -d extension=h2srv.so examples/laravel/server.php
// H2SRV_LISTEN (default 127.0.0.1:8000), H2SRV_CERT and H2SRV_KEY (cleartext without them),
// H2SRV_WORKERS (default 2) and H2SRV_DISPATCH choose how it is served.

declare(strict_types=1);

require __DIR__ . '/vendor.php';

$app = require __DIR__ . '/bootstrap/app.php';

$cert = getenv('H2SRV_CERT') ?: null;
$options = [
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8000',
    'workers' => (int)(getenv('H2SRV_WORKERS') ?: 2),
    'max_body_size' => 64 << 20,
] + ($cert !== null ? ['cert' => $cert, 'key' => getenv('H2SRV_KEY') ?: ''] : ['tls' => false])
  + (getenv('H2SRV_DISPATCH') ? ['dispatch' => getenv('H2SRV_DISPATCH')] : []);

$server = new H2srv\Server($options);
$server->handle(H2srv\Bridge\Laravel::handler($app));
$server->run();
