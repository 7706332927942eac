#include "php.h"
#include "zend_exceptions.h"
#include "options.h"
#ifndef PHP_WIN32
#include "workers.h"
#else
#define H2SRV_MAX_WORKERS 1
#define H2SRV_MAX_REACTORS 1
#endif

#define H2SRV_DEFAULT_MAX_STREAMS 128          /* SETTINGS_MAX_CONCURRENT_STREAMS */
#define H2SRV_DEFAULT_MAX_BODY (8 * 1024 * 1024) /* bytes of request body */
#define H2SRV_DEFAULT_BODY_BUFFER (1024 * 1024) /* bytes of request body kept in memory */
#define H2SRV_DEFAULT_SHUTDOWN_MS 10000         /* ms a graceful stop waits for streams */
#define H2SRV_DEFAULT_HANDSHAKE_MS 10000        /* ms from accept to the first HTTP/2 frame */
#define H2SRV_DEFAULT_IDLE_MS 60000             /* ms without streams or traffic */
#define H2SRV_DEFAULT_READ_MS 30000             /* ms a request may stall mid-headers or mid-body */
#define H2SRV_DEFAULT_WRITE_MS 30000            /* ms a peer may take no response bytes */
#define H2SRV_DEFAULT_MAX_CONNS 10000           /* open connections per server */
#define H2SRV_BYTE_CAP_MIN 1024                 /* bytes */
#define H2SRV_BYTE_CAP_MAX (16 * 1024 * 1024)   /* bytes */

#define H2SRV_DEFAULT_WS_IDLE_MS 30000          /* ms; option websocket_idle_timeout */
#define H2SRV_MAX_EARLY 64                      /* path prefixes in early_dispatch */

/* early_dispatch: a list of path prefixes, each starting with "/". */
static zend_result parse_early(h2srv_server_t *srv, zval *v)
{
	zval *e;

	if (Z_TYPE_P(v) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(v)) > H2SRV_MAX_EARLY) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"early_dispatch\" must be a list of at most %d path prefixes",
			H2SRV_MAX_EARLY);
		return FAILURE;
	}
	srv->limits.early = pemalloc(sizeof(zend_string *) * MAX(1, zend_hash_num_elements(Z_ARRVAL_P(v))), 1);
	srv->limits.nearly = 0;
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
		ZVAL_DEREF(e);
		if (Z_TYPE_P(e) != IS_STRING || Z_STRLEN_P(e) == 0 || Z_STRVAL_P(e)[0] != '/') {
			zend_throw_exception(h2srv_ce_exception, "option \"early_dispatch\": each prefix must be a string starting with \"/\"", 0);
			return FAILURE;
		}
		srv->limits.early[srv->limits.nearly++] = zend_string_init(Z_STRVAL_P(e), Z_STRLEN_P(e), 1);
	} ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

/* The defaults, before the options array and INI settings override them. */
static void set_defaults(h2srv_server_t *srv)
{
	srv->opts.byte_cap = (size_t)H2SRV_G(byte_cap);
	srv->opts.emit = (h2srv_emit_mode_t)H2SRV_G(tls_emit);
	srv->opts.seal = srv->opts.emit == H2SRV_EMIT_GATHER && !H2SRV_G(tls_seal_openssl);
	srv->opts.key_records = (uint64_t)H2SRV_G(tls_key_records);
	h2srv_compress_defaults(&srv->compress);
	srv->opts.shutdown_timeout_ms = H2SRV_DEFAULT_SHUTDOWN_MS;
	srv->opts.handshake_timeout_ms = H2SRV_DEFAULT_HANDSHAKE_MS;
	srv->opts.idle_timeout_ms = H2SRV_DEFAULT_IDLE_MS;
	srv->opts.read_timeout_ms = H2SRV_DEFAULT_READ_MS;
	srv->opts.write_timeout_ms = H2SRV_DEFAULT_WRITE_MS;
	srv->opts.max_connections = H2SRV_DEFAULT_MAX_CONNS;
	srv->opts.workers = 1;
	srv->opts.reactors = 1;
	srv->limits.glitch_budget = H2SRV_GLITCH_BUDGET;
	srv->limits.glitch_rate = H2SRV_GLITCH_RATE;
	srv->limits.max_concurrent_streams = H2SRV_DEFAULT_MAX_STREAMS;
	srv->limits.max_body_size = H2SRV_DEFAULT_MAX_BODY;
	srv->limits.max_header_list = H2SRV_MAX_HEADER_LIST;
	srv->limits.body_buffer_size = H2SRV_DEFAULT_BODY_BUFFER;
	srv->limits.ws_max_message = H2SRV_WS_MAX_MESSAGE;
	srv->limits.ws_idle_ms = H2SRV_DEFAULT_WS_IDLE_MS;
	srv->log_level = H2SRV_LOG_WARN;
}

/* Parses "ip:port" or "[ipv6]:port" into |addr|; throws naming |v| and returns FAILURE. */
static zend_result parse_address(struct sockaddr_storage *addr, zend_string *v)
{
	const char *s = ZSTR_VAL(v), *colon;
	char host[INET6_ADDRSTRLEN + 1];
	size_t hlen;
	zend_long port;
	char *end;
	int rc;

	if (s[0] == '[') {
		const char *close = strchr(s, ']');
		if (!close || close[1] != ':') {
			goto bad;
		}
		hlen = (size_t)(close - s - 1);
		colon = close + 1;
		s++;
	} else {
		colon = strrchr(s, ':');
		if (!colon || memchr(s, ':', (size_t)(colon - s))) {
			goto bad;
		}
		hlen = (size_t)(colon - s);
	}
	if (hlen == 0 || hlen >= sizeof(host)) {
		goto bad;
	}
	memcpy(host, s, hlen);
	host[hlen] = '\0';
	port = ZEND_STRTOL(colon + 1, &end, 10);
	if (colon[1] == '\0' || *end != '\0' || port < 0 || port > 65535) {
		goto bad;
	}
	rc = strchr(host, ':')
		? uv_ip6_addr(host, (int)port, (struct sockaddr_in6 *)addr)
		: uv_ip4_addr(host, (int)port, (struct sockaddr_in *)addr);
	if (rc == 0) {
		return SUCCESS;
	}
bad:
	zend_throw_exception_ex(h2srv_ce_exception, 0,
		"option \"listen\" must be \"ip:port\" or \"[ipv6]:port\", got \"%s\"", ZSTR_VAL(v));
	return FAILURE;
}

/* One entry of the listen option: "ip:port", or ["address" => "ip:port", "tls" => bool,
 * "http1" => bool]; |tls| is the server's default, HTTP/1.x is taken unless "http1" is false. */
static zend_result add_listener(h2srv_server_t *srv, zval *e, bool tls)
{
	h2srv_listener_t *l = &srv->listeners[srv->nlisteners];
	zend_string *addr = NULL, *key;
	zval *x;
	bool http1 = true;

	ZVAL_DEREF(e);
	if (Z_TYPE_P(e) == IS_STRING) {
		addr = Z_STR_P(e);
	} else if (Z_TYPE_P(e) == IS_ARRAY) {
		ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(e), key, x) {
			ZVAL_DEREF(x);
			if (key && zend_string_equals_literal(key, "address") && Z_TYPE_P(x) == IS_STRING) {
				addr = Z_STR_P(x);
			} else if (key && zend_string_equals_literal(key, "tls") && (Z_TYPE_P(x) == IS_TRUE || Z_TYPE_P(x) == IS_FALSE)) {
				tls = Z_TYPE_P(x) == IS_TRUE;
			} else if (key && zend_string_equals_literal(key, "http1") && (Z_TYPE_P(x) == IS_TRUE || Z_TYPE_P(x) == IS_FALSE)) {
				http1 = Z_TYPE_P(x) == IS_TRUE;
			} else {
				addr = NULL;
				break;
			}
		} ZEND_HASH_FOREACH_END();
	}
	if (!addr) {
		zend_throw_exception(h2srv_ce_exception, "option \"listen\" takes \"ip:port\", [\"address\" => \"ip:port\", "
			"\"tls\" => bool, \"http1\" => bool], or a list of them", 0);
		return FAILURE;
	}
	if (parse_address(&l->addr, addr) == FAILURE) {
		return FAILURE;
	}
	l->tls = tls;
	l->http1 = http1;
	l->srv = srv;
	srv->nlisteners++;
	return SUCCESS;
}

/* The listen option: one entry or a list of up to H2SRV_MAX_LISTENERS. */
static zend_result parse_listeners(h2srv_server_t *srv, zval *v, bool tls)
{
	zval *e;
	bool list = Z_TYPE_P(v) == IS_ARRAY && !zend_hash_str_exists(Z_ARRVAL_P(v), ZEND_STRL("address"));
	uint32_t n = list ? zend_hash_num_elements(Z_ARRVAL_P(v)) : 1;

	if (n == 0 || n > H2SRV_MAX_LISTENERS) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"listen\" takes 1 to %d addresses, got %u",
			H2SRV_MAX_LISTENERS, n);
		return FAILURE;
	}
	srv->listeners = ecalloc(n, sizeof(*srv->listeners));
	if (!list) {
		return add_listener(srv, v, tls);
	}
	ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
		if (add_listener(srv, e, tls) == FAILURE) {
			return FAILURE;
		}
	} ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

static zend_result want_type(const char *name, zval *v, int type, const char *tname)
{
	if (Z_TYPE_P(v) == type) {
		return SUCCESS;
	}
	zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"%s\" must be %s, got %s",
		name, tname, zend_zval_type_name(v));
	return FAILURE;
}

static zend_result want_range(const char *name, zval *v, zend_long min, zend_long max, zend_long *out)
{
	if (want_type(name, v, IS_LONG, "an int") == FAILURE) {
		return FAILURE;
	}
	if (Z_LVAL_P(v) < min || Z_LVAL_P(v) > max) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"%s\" must be between " ZEND_LONG_FMT
			" and " ZEND_LONG_FMT ", got " ZEND_LONG_FMT, name, min, max, Z_LVAL_P(v));
		return FAILURE;
	}
	*out = Z_LVAL_P(v);
	return SUCCESS;
}

static zend_result want_writable_dir(zend_string *path)
{
	zend_stat_t st;
	const char *why = NULL;

	if (VCWD_STAT(ZSTR_VAL(path), &st) != 0) {
		why = strerror(errno);
	} else if (!S_ISDIR(st.st_mode)) {
		why = "not a directory";
	} else if (VCWD_ACCESS(ZSTR_VAL(path), W_OK) != 0) {
		why = strerror(errno);
	}
	if (why) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"upload_dir\" \"%s\" is not a writable directory: %s",
			ZSTR_VAL(path), why);
		return FAILURE;
	}
	return SUCCESS;
}

/* A duration in seconds (int or float, 0 to a day), stored in milliseconds. */
static zend_result want_seconds(const char *name, zval *v, uint64_t *ms)
{
	double secs;

	if (Z_TYPE_P(v) != IS_LONG && Z_TYPE_P(v) != IS_DOUBLE) {
		return want_type(name, v, IS_LONG, "a number of seconds");
	}
	secs = zval_get_double(v);
	if (!(secs >= 0 && secs <= 86400)) {
		zend_throw_exception_ex(h2srv_ce_exception, 0,
			"option \"%s\" must be between 0 and 86400 seconds, got %g", name, secs);
		return FAILURE;
	}
	*ms = (uint64_t)(secs * 1000);
	return SUCCESS;
}

/* Where a timeout option is stored, or NULL when |name| is not one. */
static uint64_t *timeout_option(h2srv_server_t *srv, zend_string *name)
{
	static const struct { const char *name; size_t off; } map[] = {
		{"shutdown_timeout", XtOffsetOf(h2srv_opts_t, shutdown_timeout_ms)},
		{"handshake_timeout", XtOffsetOf(h2srv_opts_t, handshake_timeout_ms)},
		{"idle_timeout", XtOffsetOf(h2srv_opts_t, idle_timeout_ms)},
		{"read_timeout", XtOffsetOf(h2srv_opts_t, read_timeout_ms)},
		{"write_timeout", XtOffsetOf(h2srv_opts_t, write_timeout_ms)},
	};

	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++) {
		if (zend_string_equals_cstr(name, map[i].name, strlen(map[i].name))) {
			return (uint64_t *)((char *)&srv->opts + map[i].off);
		}
	}
	return NULL;
}

/* compression: the codings to offer, in preference order ("br", "zstd", "gzip");
 * compression_types: the compressible content types (exact, or a family: "text/" "*"); compression_levels:
 * coding => level. */
static zend_result parse_compression(h2srv_server_t *srv, zend_string *name, zval *v)
{
	h2srv_compress_t *cz = &srv->compress;
	zend_string *key;
	zval *e;

	if (Z_TYPE_P(v) != IS_ARRAY) {
		return want_type(ZSTR_VAL(name), v, IS_ARRAY, "an array");
	}
	if (zend_string_equals_literal(name, "compression")) {
		cz->norder = 0;
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
			h2srv_coding_t c;
			ZVAL_DEREF(e);
			c = Z_TYPE_P(e) == IS_STRING ? h2srv_coding_of(Z_STRVAL_P(e), Z_STRLEN_P(e)) : H2SRV_CODING_NONE;
			if (c == H2SRV_CODING_NONE) {
				zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"compression\" takes \"br\", \"zstd\" and \"gzip\", got %s",
					Z_TYPE_P(e) == IS_STRING ? Z_STRVAL_P(e) : zend_zval_type_name(e));
				return FAILURE;
			}
			for (uint32_t i = 0; i < cz->norder; i++) {
				if (cz->order[i] == c) {
					c = H2SRV_CODING_NONE;
				}
			}
			if (c != H2SRV_CODING_NONE) {
				cz->order[cz->norder++] = c;
			}
		} ZEND_HASH_FOREACH_END();
		return SUCCESS;
	}
	if (zend_string_equals_literal(name, "compression_types")) {
		for (uint32_t i = 0; i < cz->ntypes; i++) {
			pefree(cz->types[i], 1);
		}
		cz->ntypes = 0;
		ZEND_HASH_FOREACH_VAL(Z_ARRVAL_P(v), e) {
			ZVAL_DEREF(e);
			if (Z_TYPE_P(e) != IS_STRING || !memchr(Z_STRVAL_P(e), '/', Z_STRLEN_P(e)) || cz->ntypes == H2SRV_COMPRESS_MAX_TYPES) {
				zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"compression_types\" takes up to %d types such as "
					"\"text/*\" or \"application/json\"", H2SRV_COMPRESS_MAX_TYPES);
				return FAILURE;
			}
			cz->types[cz->ntypes] = pestrdup(Z_STRVAL_P(e), 1);
			zend_str_tolower(cz->types[cz->ntypes], Z_STRLEN_P(e));
			cz->ntypes++;
		} ZEND_HASH_FOREACH_END();
		return SUCCESS;
	}
	ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(v), key, e) {
		h2srv_coding_t c = key ? h2srv_coding_of(ZSTR_VAL(key), ZSTR_LEN(key)) : H2SRV_CODING_NONE;
		int max = c == H2SRV_CODING_GZIP ? 9 : c == H2SRV_CODING_BR ? 11 : 19;
		ZVAL_DEREF(e);
		if (c == H2SRV_CODING_NONE || Z_TYPE_P(e) != IS_LONG || Z_LVAL_P(e) < 1 || Z_LVAL_P(e) > max) {
			zend_throw_exception(h2srv_ce_exception, "option \"compression_levels\" takes [\"gzip\" => 1..9, \"br\" => 1..11, "
				"\"zstd\" => 1..19]", 0);
			return FAILURE;
		}
		cz->level[c] = (int)Z_LVAL_P(e);
	} ZEND_HASH_FOREACH_END();
	return SUCCESS;
}

/* The static option: URL prefix => directory, each directory opened now; /etc/mime.types is
 * read once with the first mount. */
static zend_result parse_static(h2srv_server_t *srv, zval *v)
{
	zend_string *prefix;
	zval *dir;

	if (Z_TYPE_P(v) != IS_ARRAY || zend_hash_num_elements(Z_ARRVAL_P(v)) == 0) {
		zend_throw_exception(h2srv_ce_exception, "option \"static\" takes [\"/url/prefix\" => \"/directory\", ...]", 0);
		return FAILURE;
	}
	ZEND_HASH_FOREACH_STR_KEY_VAL(Z_ARRVAL_P(v), prefix, dir) {
		const char *why;

		ZVAL_DEREF(dir);
		if (!prefix || Z_TYPE_P(dir) != IS_STRING) {
			zend_throw_exception(h2srv_ce_exception, "option \"static\" takes [\"/url/prefix\" => \"/directory\", ...]", 0);
			return FAILURE;
		}
		if ((why = h2srv_static_mount(&srv->statics, ZSTR_VAL(prefix), ZSTR_LEN(prefix), Z_STRVAL_P(dir)))) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"static\": cannot serve \"%s\" from \"%s\": %s",
				ZSTR_VAL(prefix), Z_STRVAL_P(dir), why);
			return FAILURE;
		}
	} ZEND_HASH_FOREACH_END();
	if (!srv->statics.nmime) {
		h2srv_static_load_types(&srv->statics, "/etc/mime.types");
	}
	srv->opts.statics = &srv->statics;
	return SUCCESS;
}

zend_result h2srv_options_parse(h2srv_server_t *srv, HashTable *options, zend_string **logs)
{
	zend_string *name;
	zend_ulong idx;
	zval *v;
	zend_long n;
	uint64_t *ms;
	zval *listen = NULL;
	bool tls = true;
	int taken;
	int dispatch = -1;

	set_defaults(srv);

	ZEND_HASH_FOREACH_KEY_VAL(options, idx, name, v) {
		ZVAL_DEREF(v);
		if (!name) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "unknown option " ZEND_ULONG_FMT " (options are named)", idx);
			return FAILURE;
		}
		if ((taken = h2srv_certs_option(&srv->certs, name, v)) != 0) {
			if (taken < 0) {
				return FAILURE;
			}
		} else if (zend_string_equals_literal(name, "listen")) {
			listen = v;
		} else if (zend_string_equals_literal(name, "tls")) {
			if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
				return want_type("tls", v, _IS_BOOL, "a bool");
			}
			tls = Z_TYPE_P(v) == IS_TRUE;
		} else if (zend_string_equals_literal(name, "byte_cap")) {
			if (want_range("byte_cap", v, H2SRV_BYTE_CAP_MIN, H2SRV_BYTE_CAP_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->opts.byte_cap = (size_t)n;
		} else if (zend_string_equals_literal(name, "max_concurrent_streams")) {
			if (want_range("max_concurrent_streams", v, 1, INT32_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->limits.max_concurrent_streams = (uint32_t)n;
		} else if (zend_string_equals_literal(name, "max_body_size")) {
			if (want_range("max_body_size", v, 0, ZEND_LONG_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->limits.max_body_size = (size_t)n;
		} else if (zend_string_equals_literal(name, "body_buffer_size")) {
			if (want_range("body_buffer_size", v, 0, ZEND_LONG_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->limits.body_buffer_size = (size_t)n;
		} else if (zend_string_equals_literal(name, "upload_dir")) {
			if (want_type("upload_dir", v, IS_STRING, "a directory path") == FAILURE
				|| want_writable_dir(Z_STR_P(v)) == FAILURE) {
				return FAILURE;
			}
			srv->upload_dir = zend_string_copy(Z_STR_P(v));
		} else if (zend_string_equals_literal(name, "static")) {
			if (parse_static(srv, v) == FAILURE) {
				return FAILURE;
			}
		} else if (zend_string_equals_literal(name, "compression") || zend_string_equals_literal(name, "compression_types")
			|| zend_string_equals_literal(name, "compression_levels")) {
			if (parse_compression(srv, name, v) == FAILURE) {
				return FAILURE;
			}
		} else if (zend_string_equals_literal(name, "compression_min_size")) {
			if (want_range("compression_min_size", v, 0, ZEND_LONG_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->compress.min_size = (size_t)n;
		} else if (zend_string_equals_literal(name, "static_index")) {
			if (Z_TYPE_P(v) != IS_TRUE && Z_TYPE_P(v) != IS_FALSE) {
				return want_type("static_index", v, _IS_BOOL, "a bool");
			}
			srv->statics.index = Z_TYPE_P(v) == IS_TRUE;
		} else if ((ms = timeout_option(srv, name))) {
			if (want_seconds(ZSTR_VAL(name), v, ms) == FAILURE) {
				return FAILURE;
			}
		} else if (zend_string_equals_literal(name, "max_connections")) {
			if (want_range("max_connections", v, 1, INT32_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->opts.max_connections = (uint32_t)n;
		} else if (zend_string_equals_literal(name, "workers")) {
			if (Z_TYPE_P(v) == IS_STRING && zend_string_equals_literal(Z_STR_P(v), "auto")) {
				n = 0;
			} else if (Z_TYPE_P(v) != IS_LONG) {
				return want_type("workers", v, IS_LONG, "an int or \"auto\"");
			} else if (want_range("workers", v, 0, H2SRV_MAX_WORKERS, &n) == FAILURE) {
				return FAILURE;
			}
			srv->opts.workers = n ? (uint32_t)n : uv_available_parallelism();
#ifdef PHP_WIN32
			if (srv->opts.workers != 1) {
				zend_throw_exception(h2srv_ce_exception, "option \"workers\" must be 1 on Windows (no fork())", 0);
				return FAILURE;
			}
#endif
		} else if (zend_string_equals_literal(name, "dispatch")) {
			if (Z_TYPE_P(v) != IS_STRING || !(zend_string_equals_literal(Z_STR_P(v), "connection")
				|| zend_string_equals_literal(Z_STR_P(v), "request"))) {
				zend_throw_exception(h2srv_ce_exception, "option \"dispatch\" must be \"connection\" or \"request\"", 0);
				return FAILURE;
			}
			dispatch = Z_STRVAL_P(v)[0] == 'r' ? H2SRV_DISPATCH_REQUEST : H2SRV_DISPATCH_CONNECTION;
		} else if (zend_string_equals_literal(name, "reactors")) {
			if (Z_TYPE_P(v) == IS_STRING && zend_string_equals_literal(Z_STR_P(v), "auto")) {
				n = 0;
			} else if (Z_TYPE_P(v) != IS_LONG) {
				return want_type("reactors", v, IS_LONG, "an int or \"auto\"");
			} else if (want_range("reactors", v, 1, H2SRV_MAX_REACTORS, &n) == FAILURE) {
				return FAILURE;
			}
			/* auto: one reactor per four cores; the workers want the rest */
			srv->opts.reactors = n ? (uint32_t)n : MAX(1, uv_available_parallelism() / 4);
		} else if (zend_string_equals_literal(name, "access_log") || zend_string_equals_literal(name, "error_log")) {
			if (want_type(ZSTR_VAL(name), v, IS_STRING, "\"stderr\" or a file path") == FAILURE) {
				return FAILURE;
			}
			logs[ZSTR_VAL(name)[0] == 'a' ? 0 : 1] = Z_STR_P(v);
		} else if (zend_string_equals_literal(name, "log_level")) {
			int level = Z_TYPE_P(v) == IS_STRING ? h2srv_log_level_parse(Z_STRVAL_P(v)) : -1;
			if (level < 0) {
				zend_throw_exception_ex(h2srv_ce_exception, 0,
					"option \"log_level\" must be \"error\", \"warn\", \"info\" or \"debug\"");
				return FAILURE;
			}
			srv->log_level = (h2srv_log_level_t)level;
		} else if (zend_string_equals_literal(name, "bootstrap")) {
			char *error = NULL;
			if (!zend_is_callable_ex(v, NULL, 0, NULL, &srv->bootstrap_fcc, &error)) {
				zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"bootstrap\" must be callable%s%s",
					error ? ": " : "", error ? error : "");
				if (error) {
					efree(error);
				}
				return FAILURE;
			}
			ZVAL_COPY(&srv->bootstrap, v);
		} else if (zend_string_equals_literal(name, "max_requests")) {
			if (want_range("max_requests", v, 0, ZEND_LONG_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->opts.max_requests = (uint64_t)n;
		} else if (zend_string_equals_literal(name, "max_worker_memory")) {
			if (want_range("max_worker_memory", v, 0, ZEND_LONG_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->opts.max_worker_memory = (uint64_t)n;
		} else if (zend_string_equals_literal(name, "glitch_budget")) {
			if (want_range("glitch_budget", v, 1, INT32_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->limits.glitch_budget = (uint32_t)n;
		} else if (zend_string_equals_literal(name, "early_dispatch")) {
			if (parse_early(srv, v) == FAILURE) {
				return FAILURE;
			}
		} else if (zend_string_equals_literal(name, "websocket_max_message")) {
			if (want_range("websocket_max_message", v, 1, ZEND_LONG_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->limits.ws_max_message = (uint64_t)n;
		} else if (zend_string_equals_literal(name, "websocket_idle_timeout")) {
			if (want_seconds("websocket_idle_timeout", v, &srv->limits.ws_idle_ms) == FAILURE) {
				return FAILURE;
			}
		} else if (zend_string_equals_literal(name, "glitch_rate")) {
			if (want_range("glitch_rate", v, 0, INT32_MAX, &n) == FAILURE) {
				return FAILURE;
			}
			srv->limits.glitch_rate = (uint32_t)n;
		} else {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "unknown option \"%s\"", ZSTR_VAL(name));
			return FAILURE;
		}
	} ZEND_HASH_FOREACH_END();

	if (!listen) {
		zend_throw_exception(h2srv_ce_exception, "option \"listen\" is required", 0);
		return FAILURE;
	}
	if (h2srv_certs_check(&srv->certs) == FAILURE) {
		return FAILURE;
	}
	/* Request dispatch by default once there are several workers; h2srv.dispatch (the INI
	 * setting) changes that default, the option overrides both. */
	if (dispatch < 0) {
		dispatch = H2SRV_G(dispatch) >= 0 ? (int)H2SRV_G(dispatch)
			: srv->opts.workers > 1 ? H2SRV_DISPATCH_REQUEST : H2SRV_DISPATCH_CONNECTION;
	}
#ifdef PHP_WIN32
	dispatch = H2SRV_DISPATCH_CONNECTION;
#endif
	srv->opts.dispatch_request = dispatch == H2SRV_DISPATCH_REQUEST;
	/* A worker is replaced by its supervisor; a single process has none. */
	if ((srv->opts.max_requests || srv->opts.max_worker_memory) && srv->opts.workers < 2 && !srv->opts.dispatch_request) {
		zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"%s\" needs \"workers\" of 2 or more: "
			"a worker is replaced by the supervisor, and a single process has none",
			srv->opts.max_requests ? "max_requests" : "max_worker_memory");
		return FAILURE;
	}
	if (parse_listeners(srv, listen, tls) == FAILURE) {
		return FAILURE;
	}
	for (uint32_t i = 0; i < srv->nlisteners; i++) {
		if (srv->listeners[i].tls && !h2srv_certs_given(&srv->certs)) {
			zend_throw_exception_ex(h2srv_ce_exception, 0, "option \"%s\" is required for a TLS listener",
				Z_ISUNDEF(srv->certs.cert) ? "cert" : "key");
			return FAILURE;
		}
	}
	return SUCCESS;
}
