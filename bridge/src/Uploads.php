<?php

declare(strict_types=1);

namespace H2srv\Bridge;

/**
 * Holds an upload's temporary files for as long as the request that carries it: they are
 * removed when the last reference to the request goes (a file the application moved into
 * place is gone from there already).
 *
 * @internal
 */
final class Uploads
{
    public function __construct(private Multipart $parser)
    {
    }

    public function __destruct()
    {
        $this->parser->cleanup();
    }
}
