#include <zlib.h>

/* inflateInit2 is a macro: Swift cannot call it. Window bits 15 + 32: gzip or zlib, detected. */
static inline int czlib_inflate_init_auto(z_streamp stream) { return inflateInit2(stream, 15 + 32); }
