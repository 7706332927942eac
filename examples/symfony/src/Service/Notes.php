<?php

declare(strict_types=1);

namespace App\Service;

use Symfony\Contracts\Service\ResetInterface;

/**
 * A service that keeps a value for the length of a request. A long-running server keeps the
 * container between requests; Symfony resets every ResetInterface service before the next one,
 * so nothing one request writes here is seen by the next.
 */
final class Notes implements ResetInterface
{
    private ?string $value = null;

    public function set(string $value): void
    {
        $this->value = $value;
    }

    public function get(): ?string
    {
        return $this->value;
    }

    public function reset(): void
    {
        $this->value = null;
    }
}
