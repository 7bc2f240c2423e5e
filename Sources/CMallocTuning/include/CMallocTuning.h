#ifndef ENVMON_CMALLOCTUNING_H
#define ENVMON_CMALLOCTUNING_H

#include <stdlib.h>
#ifdef __GLIBC__
// mallopt and its parameters, which Swift's Glibc module does not export.
#include <malloc.h>
#endif

/// The number of malloc arenas the envmon executable allows itself (see malloc_tuning.c).
int envmon_malloc_arena_max(void);

/// The daemon's malloc thresholds (see malloc_tuning.c): blocks under this many bytes come
/// from the heap, and up to this many bytes free at a heap's top stay there.
#define ENVMON_DAEMON_MMAP_THRESHOLD (4 << 20)
#define ENVMON_DAEMON_TRIM_THRESHOLD (8 << 20)

/// Sets the daemon's malloc thresholds; 1 if set, 0 where the environment sets them (or the C
/// library is not glibc).
int envmon_malloc_tune_for_daemon(void);

#endif
