<?php

declare(strict_types=1);

// For use without Composer: require this file, and the bridge's classes load from src/.
spl_autoload_register(static function (string $class): void {
    if (str_starts_with($class, 'H2srv\\Bridge\\')) {
        $file = __DIR__ . '/src/' . str_replace('\\', '/', substr($class, 13)) . '.php';
        if (is_file($file)) {
            require $file;
        }
    }
});
