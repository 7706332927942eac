<?php

declare(strict_types=1);

namespace H2srv\Bridge;

/**
 * H2srv\Server's options picked out of a framework runtime's options (same names), with
 * listen, cert, key, workers and dispatch from H2SRV_LISTEN, H2SRV_CERT, H2SRV_KEY,
 * H2SRV_WORKERS and H2SRV_DISPATCH where those are set (the environment of a deployment wins
 * over what the app was built with).
 *
 * @internal
 */
final class ServerOptions
{
    /** Every option H2srv\Server's constructor takes. */
    public const NAMES = ['listen', 'tls', 'cert', 'key', 'certificates', 'client_ca', 'client_verify', 'ocsp',
        'sni_strict', 'ticket_keys', 'ticket_rotation', 'byte_cap', 'max_concurrent_streams', 'max_body_size',
        'body_buffer_size', 'upload_dir', 'max_connections', 'workers', 'dispatch', 'reactors', 'error_log',
        'access_log', 'log_level', 'bootstrap', 'max_requests', 'max_worker_memory', 'glitch_budget',
        'glitch_rate', 'shutdown_timeout', 'handshake_timeout', 'idle_timeout', 'read_timeout', 'write_timeout'];

    /**
     * @param array<string, mixed> $options
     * @return array<string, mixed>
     */
    public static function from(array $options): array
    {
        $server = array_intersect_key($options, array_flip(self::NAMES));
        foreach (['listen' => 'H2SRV_LISTEN', 'cert' => 'H2SRV_CERT', 'key' => 'H2SRV_KEY',
            'workers' => 'H2SRV_WORKERS', 'dispatch' => 'H2SRV_DISPATCH'] as $name => $env) {
            $value = $_SERVER[$env] ?? getenv($env);
            if (is_string($value) && $value !== '') {
                $server[$name] = $name === 'workers' ? (int)$value : $value;
            }
        }
        $server += ['listen' => '127.0.0.1:8000'];
        // No certificate anywhere: cleartext (h2c by prior knowledge, and HTTP/1.1).
        if (!isset($server['cert']) && !isset($server['certificates'])) {
            $server += ['tls' => false];
        }
        return $server;
    }
}
