/* llhttp's API (llhttp_init, llhttp_execute, …) from Debian's node-llhttp: see llhttp_parser.c. */
#include "api.c"
