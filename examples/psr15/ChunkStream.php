<?php

declare(strict_types=1);

namespace Example\Psr15;

use Psr\Http\Message\StreamInterface;

/** A read-only PSR-7 stream of unknown size over a generator: each read() takes its next piece. */
final class ChunkStream implements StreamInterface
{
    private bool $started = false;

    public function __construct(private \Generator $pieces)
    {
    }

    public function read($length): string
    {
        if ($this->started) {
            $this->pieces->next();
        }
        $this->started = true;
        return $this->pieces->valid() ? (string)$this->pieces->current() : '';
    }

    public function eof(): bool
    {
        return $this->started && !$this->pieces->valid();
    }

    public function getContents(): string
    {
        $out = '';
        while (!$this->eof()) {
            $out .= $this->read(65536);
        }
        return $out;
    }

    public function __toString(): string
    {
        return $this->getContents();
    }

    public function getSize(): ?int
    {
        return null;
    }

    public function isReadable(): bool
    {
        return true;
    }

    public function isWritable(): bool
    {
        return false;
    }

    public function isSeekable(): bool
    {
        return false;
    }

    public function close(): void
    {
    }

    public function detach()
    {
        return null;
    }

    public function tell(): int
    {
        throw new \RuntimeException('not seekable');
    }

    public function seek($offset, $whence = SEEK_SET): void
    {
        throw new \RuntimeException('not seekable');
    }

    public function rewind(): void
    {
        throw new \RuntimeException('not seekable');
    }

    public function write($string): int
    {
        throw new \RuntimeException('not writable');
    }

    public function getMetadata($key = null)
    {
        return $key === null ? [] : null;
    }
}
