<?php

declare(strict_types=1);

namespace H2srv\Bridge;

use Closure;
use H2srv\Request;
use H2srv\Response;
use Psr\Http\Message\ServerRequestFactoryInterface;
use Psr\Http\Message\StreamFactoryInterface;
use Psr\Http\Message\UploadedFileFactoryInterface;
use Psr\Http\Server\RequestHandlerInterface;

/** A PSR-15 application as an h2srv handler. */
final class Psr15
{
    /**
     * A handler for H2srv\Server::handle() that runs $app on each request. $factory implements
     * the three PSR-17 factories Psr7::serverRequest() takes (as nyholm's Psr17Factory and
     * guzzle's HttpFactory do). An exception $app lets through reaches the server, which logs
     * it and answers 500.
     */
    public static function handler(RequestHandlerInterface $app, object $factory): Closure
    {
        if (!$factory instanceof ServerRequestFactoryInterface || !$factory instanceof StreamFactoryInterface
            || !$factory instanceof UploadedFileFactoryInterface) {
            throw new \InvalidArgumentException(sprintf('%s is not a ServerRequestFactoryInterface, '
                . 'StreamFactoryInterface and UploadedFileFactoryInterface', get_debug_type($factory)));
        }
        return static function (Request $req, Response $res) use ($app, $factory): void {
            Psr7::send($app->handle(Psr7::serverRequest($req, $factory, $factory, $factory)), $res);
        };
    }
}
