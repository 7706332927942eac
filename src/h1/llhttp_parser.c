/*
 * llhttp's generated parser, compiled from the sources Debian's node-llhttp ships (config.m4
 * finds them; nothing of llhttp is kept in this repository). Strict mode is what makes llhttp
 * check the CRLF after chunk data and refuse the other lenient parses: it is fixed here, for
 * this file only, so that no build can leave it out.
 */
#define LLHTTP_STRICT_MODE 1
#include "llhttp.c"
