<?php

declare(strict_types=1);

namespace H2srv\Bridge;

use Symfony\Component\HttpKernel\HttpKernelInterface;
use Symfony\Component\Runtime\RunnerInterface;
use Symfony\Component\Runtime\SymfonyRuntime as BaseRuntime;

/**
 * A symfony/runtime runtime that serves an app's kernel with h2srv: select it with
 * APP_RUNTIME=H2srv\Bridge\SymfonyRuntime (or "runtime": {"class": …} in composer.json's extra),
 * then `php -d extension=h2srv.so public/index.php` serves the app. The server's options are the
 * runtime options of the same names (APP_RUNTIME_OPTIONS, or extra.runtime), with listen, cert
 * and key also from H2SRV_LISTEN, H2SRV_CERT and H2SRV_KEY. Anything but an HttpKernel (a
 * console command, a Response) runs as the Symfony runtime runs it.
 */
class SymfonyRuntime extends BaseRuntime
{
    /** @var array<string, mixed> */
    private array $server;

    /** @param array<string, mixed> $options */
    public function __construct(array $options = [])
    {
        $this->server = ServerOptions::from($options);
        parent::__construct(array_diff_key($options, array_flip(ServerOptions::NAMES)));
    }

    public function getRunner(?object $application): RunnerInterface
    {
        if ($application instanceof HttpKernelInterface) {
            return new SymfonyRunner($application, $this->server);
        }
        return parent::getRunner($application);
    }
}
