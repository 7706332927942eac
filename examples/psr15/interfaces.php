<?php

// PSR-15's two interfaces (psr/http-server-handler, psr/http-server-middleware), declared
// here when nothing has: Debian 12 packages them only inside the php8.2-psr extension, which
// conflicts with its PSR-7 packages. With Composer, require psr/http-server-handler instead.

namespace Psr\Http\Server;

use Psr\Http\Message\ResponseInterface;
use Psr\Http\Message\ServerRequestInterface;

if (!interface_exists(RequestHandlerInterface::class)) {
    interface RequestHandlerInterface
    {
        public function handle(ServerRequestInterface $request): ResponseInterface;
    }
}

if (!interface_exists(MiddlewareInterface::class)) {
    interface MiddlewareInterface
    {
        public function process(ServerRequestInterface $request, RequestHandlerInterface $handler): ResponseInterface;
    }
}
