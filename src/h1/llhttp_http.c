/* llhttp's HTTP semantics (keep-alive, message end) from Debian's node-llhttp: see llhttp_parser.c. */
#include "http.c"
