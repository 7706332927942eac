<?php

declare(strict_types=1);

namespace H2srv\Bridge;

/**
 * multipart/form-data (RFC 7578) read from a stream a chunk at a time: fields into memory, file
 * parts into temporary files as they arrive, so that a spooled upload is never held whole in
 * memory. Names follow PHP's conventions ("a[b][]" nests), as $_POST and $_FILES do.
 *
 * @internal
 */
final class Multipart
{
    private const CHUNK = 65536;         // bytes read at a time
    private const MAX_PART_HEAD = 16384; // bytes of one part's header block

    /** @var list<string> temporary files made, removed by cleanup() */
    private array $made = [];

    /**
     * @param resource $in
     * @return array{fields: array<mixed>, files: list<array{name: string, path: string, filename: string, type: string, size: int, error: int}>}
     */
    public function parse($in, string $boundary, string $tmpDir): array
    {
        $delim = "--$boundary";
        $buf = '';
        $fields = [];
        $files = [];
        // The preamble, up to the first delimiter.
        while (($at = strpos($buf, $delim)) === false) {
            $buf = substr($buf, -(strlen($delim) - 1)); // what may be a delimiter's start
            if (!$this->fill($in, $buf)) {
                return ['fields' => [], 'files' => []];
            }
        }
        $buf = substr($buf, $at + strlen($delim));
        for (;;) {
            while (strlen($buf) < 2 && $this->fill($in, $buf)) {
            }
            if (str_starts_with($buf, '--') || strlen($buf) < 2) {
                break; // the closing delimiter (or a body cut short)
            }
            while (($end = strpos($buf, "\r\n\r\n")) === false) {
                if (strlen($buf) > self::MAX_PART_HEAD || !$this->fill($in, $buf)) {
                    throw new \RuntimeException('multipart/form-data: a part\'s header block is too long or cut short');
                }
            }
            $head = $this->headers(substr($buf, 0, $end));
            $buf = substr($buf, $end + 4);
            $disposition = $this->params($head['content-disposition'] ?? '');
            $name = $disposition['name'] ?? null;
            $filename = $disposition['filename'] ?? null;
            $out = null;
            $path = '';
            $size = 0;
            $value = '';
            if ($filename !== null) {
                $path = tempnam($tmpDir, 'h2srv-upload-');
                if ($path === false) {
                    throw new \RuntimeException("multipart/form-data: cannot make a temporary file in \"$tmpDir\"");
                }
                $this->made[] = $path;
                $out = fopen($path, 'wb');
            }
            // The part's body, up to the next CRLF and delimiter; what could be the start of
            // one stays in the buffer until more is read.
            $sep = "\r\n$delim";
            for (;;) {
                $at = strpos($buf, $sep);
                $take = $at === false ? max(0, strlen($buf) - strlen($sep)) : $at;
                if ($take > 0) {
                    if ($out) {
                        fwrite($out, substr($buf, 0, $take));
                    } else {
                        $value .= substr($buf, 0, $take);
                    }
                    $size += $take;
                    $buf = substr($buf, $take);
                }
                if ($at !== false) {
                    $buf = substr($buf, strlen($sep));
                    break;
                }
                if (!$this->fill($in, $buf)) {
                    throw new \RuntimeException('multipart/form-data: the body ends inside a part');
                }
            }
            if ($out) {
                fclose($out);
            }
            if ($name === null || $name === '') {
                continue;
            }
            if ($filename !== null) {
                $files[] = ['name' => $name, 'path' => $path, 'filename' => $filename,
                    'type' => $head['content-type'] ?? 'application/octet-stream', 'size' => $size,
                    'error' => $filename === '' && $size === 0 ? UPLOAD_ERR_NO_FILE : UPLOAD_ERR_OK];
            } else {
                self::insert($fields, $name, $value);
            }
        }
        return ['fields' => $fields, 'files' => $files];
    }

    /** Removes the temporary files this parse made (a file the application moved is gone already). */
    public function cleanup(): void
    {
        foreach ($this->made as $path) {
            if (is_file($path)) {
                @unlink($path);
            }
        }
        $this->made = [];
    }

    /** The boundary of a multipart/form-data content type, or null for any other type. */
    public static function boundary(string $contentType): ?string
    {
        if (!preg_match('#^\s*multipart/form-data\s*;#i', $contentType)) {
            return null;
        }
        if (preg_match('/;\s*boundary\s*=\s*(?:"([^"]{1,70})"|([^\s;]{1,70}))/i', $contentType, $m)) {
            return $m[1] !== '' ? $m[1] : $m[2];
        }
        return null;
    }

    /**
     * Puts $value into $into under a PHP-style name: "a" sets a key, "a[b]" nests, "a[]" appends.
     *
     * @param array<mixed> $into
     */
    public static function insert(array &$into, string $name, mixed $value): void
    {
        $open = strpos($name, '[');
        if ($open === false || $open === 0 || !str_ends_with($name, ']')) {
            $into[$name] = $value;
            return;
        }
        $keys = [substr($name, 0, $open)];
        preg_match_all('/\[([^\]]*)\]/', substr($name, $open), $m);
        $keys = array_merge($keys, $m[1]);
        $ref = &$into;
        foreach ($keys as $i => $key) {
            $last = $i === count($keys) - 1;
            if ($key === '') {
                if ($last) {
                    $ref[] = $value;
                    return;
                }
                $ref[] = [];
                $key = array_key_last($ref);
            } elseif ($last) {
                $ref[$key] = $value;
                return;
            }
            if (!isset($ref[$key]) || !is_array($ref[$key])) {
                $ref[$key] = [];
            }
            $ref = &$ref[$key];
        }
    }

    /** @param resource $in */
    private function fill($in, string &$buf): bool
    {
        if (feof($in)) {
            return false;
        }
        $chunk = fread($in, self::CHUNK);
        if ($chunk === false || $chunk === '') {
            return !feof($in);
        }
        $buf .= $chunk;
        return true;
    }

    /** @return array<string, string> lower-case name => value */
    private function headers(string $block): array
    {
        $out = [];
        foreach (explode("\r\n", $block) as $line) {
            $colon = strpos($line, ':');
            if ($colon !== false) {
                $out[strtolower(trim(substr($line, 0, $colon)))] = trim(substr($line, $colon + 1));
            }
        }
        return $out;
    }

    /** @return array<string, string> the parameters of a Content-Disposition value */
    private function params(string $value): array
    {
        $out = [];
        preg_match_all('/;\s*([a-zA-Z0-9_*-]+)\s*=\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\s]*))/', $value, $m, PREG_SET_ORDER);
        foreach ($m as $p) {
            $out[strtolower($p[1])] = isset($p[3]) && $p[3] !== '' ? $p[3] : stripcslashes($p[2]);
        }
        return $out;
    }
}
