<?php

declare(strict_types=1);

namespace H2srv\Bridge;

/**
 * Response fields the server writes itself: a framework's copy of them is dropped, since
 * h2srv frames the body (content-length, chunking) and owns the connection.
 *
 * @internal
 */
final class Headers
{
    private const OURS = ['content-length' => true, 'connection' => true, 'keep-alive' => true,
        'proxy-connection' => true, 'transfer-encoding' => true, 'upgrade' => true];

    public static function ours(string $lowerName): bool
    {
        return isset(self::OURS[$lowerName]) || $lowerName === '' || $lowerName[0] === ':';
    }
}
