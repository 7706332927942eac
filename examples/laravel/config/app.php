<?php

return [
    'name' => 'h2srv-example',
    'env' => env('APP_ENV', 'production'),
    'debug' => (bool)env('APP_DEBUG', false),
    'url' => env('APP_URL', 'http://localhost'),
    'timezone' => 'UTC',
    'locale' => 'en',
    'fallback_locale' => 'en',
    'key' => env('APP_KEY', 'base64:' . base64_encode(str_repeat('k', 32))), // example only
    'cipher' => 'AES-256-CBC',
    'providers' => [
        Illuminate\Filesystem\FilesystemServiceProvider::class,
        Illuminate\View\ViewServiceProvider::class,
        Illuminate\Cookie\CookieServiceProvider::class,
        Illuminate\Translation\TranslationServiceProvider::class, // the error pages use it
        App\Providers\RouteServiceProvider::class,
    ],
    'aliases' => [
        'Route' => Illuminate\Support\Facades\Route::class,
        'Cookie' => Illuminate\Support\Facades\Cookie::class,
        'Response' => Illuminate\Support\Facades\Response::class,
    ],
];
