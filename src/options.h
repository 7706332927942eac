#ifndef H2SRV_OPTIONS_H
#define H2SRV_OPTIONS_H

#include "server.h"

/* Sets the defaults, then reads the constructor's |options| into |srv|'s opts, limits,
 * certificate options and listeners; |logs| (access, error) point into |options| (NULL: not
 * given). Throws H2srv\Exception naming the bad option and returns FAILURE. */
zend_result h2srv_options_parse(h2srv_server_t *srv, HashTable *options, zend_string **logs);

#endif
