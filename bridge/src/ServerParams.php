<?php

declare(strict_types=1);

namespace H2srv\Bridge;

use H2srv\Request;

/**
 * The CGI-style server parameters ($_SERVER) a framework expects, made from an h2srv request:
 * no superglobal is read or written.
 *
 * @internal
 */
final class ServerParams
{
    /** @return array<string, string|int|float> */
    public static function of(Request $req): array
    {
        $authority = $req->authority() ?? '';
        [$host, $port] = self::hostAndPort($authority, $req->scheme() === 'https' ? 443 : 80);
        $query = $req->query();
        $now = microtime(true);
        $server = [
            'SERVER_SOFTWARE' => 'h2srv',
            'SERVER_PROTOCOL' => $req->protocol(),
            'SERVER_NAME' => $host,
            'SERVER_PORT' => $port,
            'REQUEST_METHOD' => $req->method(),
            'REQUEST_URI' => $req->path() . ($query !== '' ? '?' . $query : ''),
            'QUERY_STRING' => $query,
            'SCRIPT_NAME' => '',
            'PHP_SELF' => '',
            'REMOTE_ADDR' => $req->remoteAddress(),
            'REQUEST_TIME' => (int)$now,
            'REQUEST_TIME_FLOAT' => $now,
        ];
        if ($req->scheme() === 'https') {
            $server['HTTPS'] = 'on';
        }
        foreach ($req->headers() as $name => $value) {
            $key = strtoupper(str_replace('-', '_', $name));
            if ($key === 'CONTENT_TYPE' || $key === 'CONTENT_LENGTH') {
                $server[$key] = $value;
            } else {
                $server['HTTP_' . $key] = $value;
            }
        }
        if ($authority !== '') {
            $server['HTTP_HOST'] = $authority;
        }
        return $server;
    }

    /** @return array{string, int} */
    private static function hostAndPort(string $authority, int $default): array
    {
        if (preg_match('/^(\[[^\]]*\]|[^:]*)(?::(\d+))?$/', $authority, $m)) {
            return [$m[1], isset($m[2]) ? (int)$m[2] : $default];
        }
        return [$authority, $default];
    }
}
