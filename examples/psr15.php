<?php

// A PSR-15 app on h2srv with any PSR-7/PSR-17 implementation:
//   php -d extension=h2srv.so examples/psr15.php [nyholm|guzzle]
// H2SRV_LISTEN (default 127.0.0.1:8000), H2SRV_CERT and H2SRV_KEY (cleartext without them),
// H2SRV_WORKERS (default 2), H2SRV_DISPATCH and APP_FILES_DIR (what /download serves).

declare(strict_types=1);

$impl = $argv[1] ?? 'nyholm';
require_once '/usr/share/php/' . ($impl === 'guzzle' ? 'GuzzleHttp' : 'Nyholm') . '/Psr7/autoload.php';
require_once dirname(__DIR__) . '/bridge/autoload.php';
require_once __DIR__ . '/psr15/interfaces.php';
require_once __DIR__ . '/psr15/App.php';
require_once __DIR__ . '/psr15/ChunkStream.php';
$factory = $impl === 'guzzle' ? new GuzzleHttp\Psr7\HttpFactory() : new Nyholm\Psr7\Factory\Psr17Factory();

$cert = getenv('H2SRV_CERT') ?: null;
$server = new H2srv\Server([
    'listen' => getenv('H2SRV_LISTEN') ?: '127.0.0.1:8000',
    'workers' => (int)(getenv('H2SRV_WORKERS') ?: 2),
    'max_body_size' => 64 << 20,
] + ($cert !== null ? ['cert' => $cert, 'key' => getenv('H2SRV_KEY') ?: ''] : ['tls' => false])
  + (getenv('H2SRV_DISPATCH') ? ['dispatch' => getenv('H2SRV_DISPATCH')] : []));
$files = getenv('APP_FILES_DIR') ?: sys_get_temp_dir();
$server->handle(H2srv\Bridge\Psr15::handler(new Example\Psr15\App($factory, $files), $factory));
$server->run();
