#!/usr/bin/python3
"""gRPC client for examples/grpc-bidi.php (Debian's python3-grpcio, no protobuf: the messages
are opaque bytes). Prints one line per check.

Usage: grpc_client.py PORT N"""
import hashlib
import queue
import sys
import threading

import grpc

port, n = sys.argv[1], int(sys.argv[2])
channel = grpc.insecure_channel('127.0.0.1:%s' % port)
grpc.channel_ready_future(channel).result(timeout=10)
ident = dict(request_serializer=None, response_deserializer=None)

# client streaming: n messages in, one answer
msgs = [('message %d ' % i).encode() * (i % 50 + 1) for i in range(n)]
collect = channel.stream_unary('/echo.Echo/Collect', **ident)
answer, call = collect.with_call(iter(msgs), timeout=30)
want = '%d %s' % (n, hashlib.sha256(b''.join(msgs)).hexdigest())
print('collect: %s, status %s' % ('right' if answer.decode() == want else 'WRONG ' + answer.decode(), call.code().name))

# bidirectional, in lock step: message i goes only once the answer to i-1 came back, so the
# server must answer each one while the request is still open
answers = queue.Queue()


def requests():
    for i in range(n):
        yield ('ping %d' % i).encode()
        got = answers.get(timeout=10)
        if got != ('echo: ping %d' % i).encode():
            print('chat: answer %d WRONG: %r' % (i, got))
            return


chat = channel.stream_stream('/echo.Echo/Chat', **ident)
responses = chat(requests(), timeout=60)
count = 0
for r in responses:
    answers.put(r)
    count += 1
print('chat: %d answers in order and in lock step, status %s' % (count, responses.code().name))

# an unknown method is UNIMPLEMENTED, from the trailers
try:
    channel.unary_unary('/echo.Echo/Nope', **ident)(b'x', timeout=10)
    print('nope: answered')
except grpc.RpcError as e:
    print('nope: %s %s' % (e.code().name, e.details()))
