<?php

// What `composer install` would give this app, from Debian's php-laravel-framework and the
// bridge in this repository.
require_once '/usr/share/php/Illuminate/autoload.php';
require_once dirname(__DIR__, 2) . '/bridge/autoload.php';
spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'App\\')) {
        $file = __DIR__ . '/app/' . str_replace('\\', '/', substr($class, 4)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
