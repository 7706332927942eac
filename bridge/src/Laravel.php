<?php

declare(strict_types=1);

namespace H2srv\Bridge;

use Closure;
use H2srv\Request;
use H2srv\Response;
use Illuminate\Container\Container;
use Illuminate\Contracts\Foundation\Application;
use Illuminate\Contracts\Http\Kernel;
use Illuminate\Http\Request as IlluminateRequest;
use Illuminate\Http\UploadedFile as IlluminateUploadedFile;
use Illuminate\Support\Facades\Facade;

/** A Laravel application as an h2srv handler, reset between requests the way Octane does it. */
final class Laravel
{
    /**
     * A handler for H2srv\Server::handle(). The HTTP kernel is bootstrapped once (environment,
     * configuration, providers), before the server forks its workers. Each request then runs
     * in a sandbox, a clone of the booted application: what a request binds or resolves in the
     * container, and the facades it resolves, go with the sandbox; the router, the kernel and
     * the URL generator see the sandbox and the new request; scoped instances are forgotten and
     * terminate() runs once the response is handed to the server. So nothing one request sets
     * in the container leaks into the next (state a request writes into an object that was
     * already resolved before it, a singleton, stays: as under Octane, such services must not
     * keep request state). An exception the app lets through reaches the server, which logs
     * it and answers 500.
     */
    public static function handler(Application $app): Closure
    {
        $kernel = $app->make(Kernel::class);
        $kernel->bootstrap();
        // Resolved once here, shared by every sandbox (as Octane warms them); some want a
        // request to be built with, which each request replaces with its own.
        $app->instance('request', IlluminateRequest::create('http://localhost/'));
        foreach (['router', 'url', 'config', 'events', 'view', 'files', 'cookie', 'encrypter', 'hash', 'log'] as $name) {
            if ($app->bound($name)) {
                try {
                    $app->make($name);
                } catch (\Throwable) {
                    // Not usable without a request or a configuration: resolved per request.
                }
            }
        }
        return static function (Request $req, Response $res) use ($app, $kernel): void {
            $sandbox = clone $app;
            self::enter($sandbox, $kernel);
            try {
                // Laravel's own UploadedFile, in test mode: Laravel would otherwise remake each
                // file outside it, and is_uploaded_file() knows nothing of h2srv's uploads.
                $request = HttpFoundation::request($req, IlluminateRequest::class, IlluminateUploadedFile::class);
                $sandbox->instance('request', $request);
                if ($sandbox->resolved('url')) {
                    $sandbox->make('url')->setRequest($request);
                }
                $response = $kernel->handle($request);
                HttpFoundation::send($response, $request, $res);
                $kernel->terminate($request, $response);
            } finally {
                self::enter($app, $kernel);
                if (method_exists($app, 'forgetScopedInstances')) {
                    $app->forgetScopedInstances();
                }
            }
        };
    }

    /** Points the container, the facades, the kernel and the router at $app. */
    private static function enter(Application $app, Kernel $kernel): void
    {
        if ($app instanceof Container) {
            Container::setInstance($app);
            $app->instance('app', $app);
            $app->instance(Container::class, $app);
        }
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication($app);
        if (method_exists($kernel, 'setApplication')) {
            $kernel->setApplication($app);
        }
        if ($app->resolved('router')) {
            $router = $app->make('router');
            if (method_exists($router, 'setContainer') && $app instanceof Container) {
                $router->setContainer($app);
            }
        }
    }
}
