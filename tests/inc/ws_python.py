#!/usr/bin/python3
"""python3-websockets as a WebSocket client of h2srv over HTTP/1.1.

Usage: ws_python.py URL echo N        N messages, text and binary, up to 1 MiB, echoed
       ws_python.py URL slow MIB      asks for MIB messages of 1 MiB, reads none for 2 s, then all
       ws_python.py URL bomb MIB      sends MIB MiB of zeros compressed (permessage-deflate)"""
import asyncio
import os
import sys
import time

import websockets

import tlsclient

url, scenario, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
ctx = tlsclient.context(alpn=()) if url.startswith('wss:') else None


async def main():
    async with websockets.connect(url, ssl=ctx, max_size=None, max_queue=1, read_limit=1 << 16,
                                  write_limit=1 << 16, compression='deflate' if scenario == 'bomb' else None) as ws:
        if scenario == 'echo':
            for i in range(n):
                msg = ('é' * (i * 389 % 300000)) + str(i) if i % 2 == 0 else os.urandom(i * 1021 % (1 << 20) + 1)
                await ws.send(msg)
                if await ws.recv() != msg:
                    print('python: echo %d wrong' % i)
                    return
            print('python: echo ok %d' % n)
        elif scenario == 'bomb':
            try:
                await ws.send(b'\0' * (n << 20))
                await ws.recv()
                print('python: the bomb was taken')
            except websockets.ConnectionClosed as e:
                print('python: a %d MiB bomb in %d KiB compressed: closed %s %s'
                      % (n, n, e.rcvd.code if e.rcvd else None, e.rcvd.reason if e.rcvd else ''))
        elif scenario == 'slow':
            await ws.send('flood %d' % n)
            time.sleep(2)  # the event loop too: nothing is read meanwhile
            got = size = 0
            for _ in range(n):
                m = await ws.recv()
                got += 1
                size += len(m)
            print('python: read %d messages, %d bytes' % (got, size))


asyncio.run(main())
