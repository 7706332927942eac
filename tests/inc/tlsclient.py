"""TLS for the test peers: the server's self-signed test certificate accepted, ALPN as asked."""
import socket
import ssl


def context(alpn=('h2',)):
    """A client context offering the protocols |alpn| (none if empty)."""
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    if alpn:
        ctx.set_alpn_protocols(list(alpn))
    return ctx


def connect(port, alpn=('h2',), timeout=10):
    """A TLS connection to 127.0.0.1:|port|, its handshake done."""
    return context(alpn).wrap_socket(socket.create_connection(('127.0.0.1', port), timeout=timeout),
                                     server_hostname='localhost')
