<?php

// The classic front controller, for running the same app under PHP-FPM (the bench compares
// the two); under h2srv, server.php serves it instead.

declare(strict_types=1);

require dirname(__DIR__) . '/vendor.php';

$app = require dirname(__DIR__) . '/bootstrap/app.php';
$kernel = $app->make(Illuminate\Contracts\Http\Kernel::class);
$response = $kernel->handle($request = Illuminate\Http\Request::capture());
$response->send();
$kernel->terminate($request, $response);
