#include "php.h"
#include <zlib.h>
#include <brotli/encode.h>
#include <zstd.h>
#include "compress.h"
#include "conditional.h"

/* Defaults measured on a 64 KiB JSON body (README, Bench): where each coding's size stops
 * paying for its CPU. */
#define H2SRV_GZIP_LEVEL 5
#define H2SRV_BR_LEVEL 4
#define H2SRV_ZSTD_LEVEL 3

static const char *const default_types[] = {"text/*", "application/json", "application/javascript",
	"application/xml", "application/ld+json", "application/manifest+json", "application/rss+xml",
	"application/atom+xml", "application/xhtml+xml", "image/svg+xml", "application/wasm"};

void h2srv_compress_defaults(h2srv_compress_t *cz)
{
	memset(cz, 0, sizeof(*cz));
	cz->min_size = H2SRV_COMPRESS_MIN_SIZE;
	cz->level[H2SRV_CODING_GZIP] = H2SRV_GZIP_LEVEL;
	cz->level[H2SRV_CODING_BR] = H2SRV_BR_LEVEL;
	cz->level[H2SRV_CODING_ZSTD] = H2SRV_ZSTD_LEVEL;
	for (uint32_t i = 0; i < sizeof(default_types) / sizeof(default_types[0]); i++) {
		cz->types[cz->ntypes++] = pestrdup(default_types[i], 1);
	}
}

void h2srv_compress_free(h2srv_compress_t *cz)
{
	for (uint32_t i = 0; i < cz->ntypes; i++) {
		pefree(cz->types[i], 1);
	}
	cz->ntypes = 0;
	cz->norder = 0;
}

h2srv_coding_t h2srv_coding_of(const char *name, size_t len)
{
	if (len == 4 && strncasecmp(name, "gzip", 4) == 0) {
		return H2SRV_CODING_GZIP;
	}
	if (len == 2 && strncasecmp(name, "br", 2) == 0) {
		return H2SRV_CODING_BR;
	}
	if (len == 4 && strncasecmp(name, "zstd", 4) == 0) {
		return H2SRV_CODING_ZSTD;
	}
	return H2SRV_CODING_NONE;
}

const char *h2srv_coding_name(h2srv_coding_t c)
{
	return c == H2SRV_CODING_GZIP ? "gzip" : c == H2SRV_CODING_BR ? "br" : c == H2SRV_CODING_ZSTD ? "zstd" : "";
}

bool h2srv_compress_type(const h2srv_compress_t *cz, const char *ct, size_t len)
{
	const char *semi = memchr(ct, ';', len);

	if (semi) {
		len = (size_t)(semi - ct);
	}
	while (len && (ct[len - 1] == ' ' || ct[len - 1] == '\t')) {
		len--;
	}
	for (uint32_t i = 0; i < cz->ntypes; i++) {
		const char *t = cz->types[i];
		size_t tl = strlen(t);
		if (tl >= 2 && t[tl - 1] == '*' && t[tl - 2] == '/') {
			if (len >= tl - 1 && strncasecmp(ct, t, tl - 1) == 0) {
				return true;
			}
		} else if (len == tl && strncasecmp(ct, t, tl) == 0) {
			return true;
		}
	}
	return false;
}

h2srv_coding_t h2srv_compress_negotiate(const h2srv_compress_t *cz, const h2srv_stream_t *s)
{
	size_t n, i = 0;
	const char *v = h2srv_request_field(s, "accept-encoding", 15, &n);
	int q[H2SRV_CODINGS] = {-1, -1, -1, -1}, star = -1; /* thousandths; -1: not listed */
	h2srv_coding_t best = H2SRV_CODING_NONE;
	int best_q = 0;

	if (!v) {
		return H2SRV_CODING_NONE;
	}
	while (i < n) {
		size_t start, end;
		int qv = 1000;

		while (i < n && (v[i] == ' ' || v[i] == '\t' || v[i] == ',')) {
			i++;
		}
		start = i;
		while (i < n && v[i] != ',' && v[i] != ';' && v[i] != ' ' && v[i] != '\t') {
			i++;
		}
		end = i;
		while (i < n && v[i] != ',') {
			if ((v[i] == 'q' || v[i] == 'Q') && i + 1 < n && v[i + 1] == '=') {
				/* qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] ) */
				size_t j = i + 2;
				int whole = j < n && v[j] == '1' ? 1000 : 0, frac = 0, scale = 100;
				for (j++; j < n && v[j] == '.'; j++) {
				}
				for (; j < n && v[j] >= '0' && v[j] <= '9' && scale; j++, scale /= 10) {
					frac += (v[j] - '0') * scale;
				}
				qv = MIN(1000, whole + frac);
			}
			i++;
		}
		if (end - start == 1 && v[start] == '*') {
			star = qv;
		} else {
			h2srv_coding_t c = h2srv_coding_of(v + start, end - start);
			if (c != H2SRV_CODING_NONE) {
				q[c] = qv;
			}
		}
	}
	for (uint32_t k = 0; k < cz->norder; k++) {
		h2srv_coding_t c = cz->order[k];
		int qv = q[c] >= 0 ? q[c] : star;
		if (qv > best_q) { /* ties keep the server's earlier choice */
			best = c;
			best_q = qv;
		}
	}
	return best;
}

/* ---- coding ----------------------------------------------------------------------------------- */

struct h2srv_deflater {
	h2srv_coding_t coding;
	z_stream z;
	BrotliEncoderState *br;
	ZSTD_CCtx *zs;
	char *out;
	size_t cap;
};

h2srv_deflater_t *h2srv_deflater_new(const h2srv_compress_t *cz, h2srv_coding_t c)
{
	h2srv_deflater_t *d = ecalloc(1, sizeof(*d));

	d->coding = c;
	switch (c) {
	case H2SRV_CODING_GZIP:
		/* 15 + 16: a gzip wrapper; memLevel 8 as zlib's default */
		if (deflateInit2(&d->z, cz->level[c], Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
			efree(d);
			return NULL;
		}
		break;
	case H2SRV_CODING_BR:
		d->br = BrotliEncoderCreateInstance(NULL, NULL, NULL);
		if (!d->br) {
			efree(d);
			return NULL;
		}
		BrotliEncoderSetParameter(d->br, BROTLI_PARAM_QUALITY, (uint32_t)cz->level[c]);
		BrotliEncoderSetParameter(d->br, BROTLI_PARAM_LGWIN, 18); /* 256 KiB window: bounded memory */
		break;
	case H2SRV_CODING_ZSTD:
		d->zs = ZSTD_createCCtx();
		if (!d->zs) {
			efree(d);
			return NULL;
		}
		ZSTD_CCtx_setParameter(d->zs, ZSTD_c_compressionLevel, cz->level[c]);
		ZSTD_CCtx_setParameter(d->zs, ZSTD_c_windowLog, 19); /* 512 KiB: what browsers decode */
		break;
	default:
		efree(d);
		return NULL;
	}
	return d;
}

void h2srv_deflater_free(h2srv_deflater_t *d)
{
	if (!d) {
		return;
	}
	if (d->coding == H2SRV_CODING_GZIP) {
		deflateEnd(&d->z);
	}
	if (d->br) {
		BrotliEncoderDestroyInstance(d->br);
	}
	if (d->zs) {
		ZSTD_freeCCtx(d->zs);
	}
	if (d->out) {
		efree(d->out);
	}
	efree(d);
}

/* Room for at least |need| more output bytes after |used|. */
static void grow(h2srv_deflater_t *d, size_t used, size_t need)
{
	if (d->cap - used < need) {
		d->cap = MAX(d->cap * 2, used + need);
		d->out = erealloc(d->out, d->cap);
	}
}

const char *h2srv_deflater_write(h2srv_deflater_t *d, const char *p, size_t n, bool last, size_t *out_len)
{
	size_t used = 0;

	grow(d, 0, n / 2 + 128);
	switch (d->coding) {
	case H2SRV_CODING_GZIP: {
		int rv;
		d->z.next_in = (Bytef *)p;
		d->z.avail_in = (uInt)n;
		do {
			grow(d, used, 4096);
			d->z.next_out = (Bytef *)d->out + used;
			d->z.avail_out = (uInt)(d->cap - used);
			rv = deflate(&d->z, last ? Z_FINISH : Z_SYNC_FLUSH);
			used = d->cap - d->z.avail_out;
			if (rv == Z_STREAM_ERROR) {
				return NULL;
			}
		} while (d->z.avail_out == 0 || (last && rv != Z_STREAM_END));
		break;
	}
	case H2SRV_CODING_BR: {
		const uint8_t *in = (const uint8_t *)p;
		size_t avail_in = n;
		for (;;) {
			size_t avail_out;
			uint8_t *next;
			grow(d, used, 4096);
			avail_out = d->cap - used;
			next = (uint8_t *)d->out + used;
			if (!BrotliEncoderCompressStream(d->br, last ? BROTLI_OPERATION_FINISH : BROTLI_OPERATION_FLUSH,
				&avail_in, &in, &avail_out, &next, NULL)) {
				return NULL;
			}
			used = d->cap - avail_out;
			if (avail_in == 0 && !BrotliEncoderHasMoreOutput(d->br)
				&& (!last || BrotliEncoderIsFinished(d->br))) {
				break;
			}
		}
		break;
	}
	case H2SRV_CODING_ZSTD: {
		ZSTD_inBuffer in = {p, n, 0};
		size_t left;
		do {
			ZSTD_outBuffer out;
			grow(d, used, ZSTD_CStreamOutSize());
			out = (ZSTD_outBuffer){d->out + used, d->cap - used, 0};
			left = ZSTD_compressStream2(d->zs, &out, &in, last ? ZSTD_e_end : ZSTD_e_flush);
			if (ZSTD_isError(left)) {
				return NULL;
			}
			used += out.pos;
		} while (left != 0);
		break;
	}
	default:
		return NULL;
	}
	*out_len = used;
	return d->out;
}

zend_string *h2srv_compress_all(const h2srv_compress_t *cz, h2srv_coding_t c, const char *p, size_t n)
{
	h2srv_deflater_t *d = h2srv_deflater_new(cz, c);
	const char *out;
	size_t len;
	zend_string *s = NULL;

	if (!d) {
		return NULL;
	}
	if ((out = h2srv_deflater_write(d, p, n, true, &len))) {
		s = zend_string_init(out, len, 0);
	}
	h2srv_deflater_free(d);
	return s;
}
