<?php

declare(strict_types=1);

namespace App;

/** A service a request fills; bound as a singleton, so it lives as long as its container. */
final class Notes
{
    public ?string $value = null;
}
