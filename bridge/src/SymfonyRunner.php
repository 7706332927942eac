<?php

declare(strict_types=1);

namespace H2srv\Bridge;

use H2srv\Server;
use Symfony\Component\HttpKernel\HttpKernelInterface;
use Symfony\Component\Runtime\RunnerInterface;

/** Runs an HttpKernel on an h2srv server until it stops (SIGTERM, SIGINT, stop()). */
final class SymfonyRunner implements RunnerInterface
{
    /** @param array<string, mixed> $options H2srv\Server's */
    public function __construct(private HttpKernelInterface $kernel, private array $options)
    {
    }

    public function run(): int
    {
        $server = new Server($this->options);
        $server->handle(Symfony::handler($this->kernel));
        $server->run();
        return 0;
    }
}
