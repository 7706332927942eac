<?php

// What `composer install` would generate for this app, made by hand from Debian's packages
// (php-symfony-framework-bundle, php-symfony-runtime) and the bridge in this repository.
require_once '/usr/share/php/Symfony/Bundle/FrameworkBundle/autoload.php';
require_once '/usr/share/php/Symfony/Component/Runtime/autoload.php';
require_once dirname(__DIR__, 3) . '/bridge/autoload.php';
spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'App\\')) {
        $file = dirname(__DIR__) . '/src/' . str_replace('\\', '/', substr($class, 4)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
