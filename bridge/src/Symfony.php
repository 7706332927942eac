<?php

declare(strict_types=1);

namespace H2srv\Bridge;

use Closure;
use H2srv\Request;
use H2srv\Response;
use Symfony\Component\EventDispatcher\Debug\WrappedListener;
use Symfony\Component\EventDispatcher\EventDispatcherInterface;
use Symfony\Component\HttpKernel\EventListener\StreamedResponseListener;
use Symfony\Component\HttpKernel\HttpKernelInterface;
use Symfony\Component\HttpKernel\KernelEvents;
use Symfony\Component\HttpKernel\KernelInterface;
use Symfony\Component\HttpKernel\TerminableInterface;

/** A Symfony HttpKernel (an app's Kernel) as an h2srv handler. */
final class Symfony
{
    /**
     * A handler for H2srv\Server::handle(): each request becomes an HttpFoundation Request (built
     * directly, no superglobals), $kernel handles it, the Response goes out (StreamedResponse as
     * it produces, BinaryFileResponse through sendFile() or its range), and terminate() runs once
     * the response is handed to the server. An exception the kernel lets through reaches the
     * server, which logs it and answers 500.
     */
    public static function handler(HttpKernelInterface $kernel): Closure
    {
        $ready = false;
        return static function (Request $req, Response $res) use ($kernel, &$ready): void {
            if (!$ready && $kernel instanceof KernelInterface) {
                $kernel->boot();
                self::keepStreamedResponses($kernel);
                $ready = true;
            }
            $request = HttpFoundation::request($req);
            $response = $kernel->handle($request);
            HttpFoundation::send($response, $request, $res);
            if ($kernel instanceof TerminableInterface) {
                $kernel->terminate($request, $response);
            }
        };
    }

    /**
     * HttpKernel's StreamedResponseListener sends a StreamedResponse from inside handle(), to
     * PHP's output: under h2srv it must come back to the bridge, which streams it to the client.
     */
    private static function keepStreamedResponses(KernelInterface $kernel): void
    {
        $container = $kernel->getContainer();
        if (!$container->has('event_dispatcher')) {
            return;
        }
        $dispatcher = $container->get('event_dispatcher');
        if (!$dispatcher instanceof EventDispatcherInterface) {
            return;
        }
        foreach ($dispatcher->getListeners(KernelEvents::RESPONSE) as $listener) {
            $callable = $listener instanceof WrappedListener ? $listener->getWrappedListener() : $listener;
            if (is_array($callable) && $callable[0] instanceof StreamedResponseListener) {
                $dispatcher->removeListener(KernelEvents::RESPONSE, $listener);
            }
        }
    }
}
