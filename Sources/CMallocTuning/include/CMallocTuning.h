#ifndef ENVMON_CMALLOCTUNING_H
#define ENVMON_CMALLOCTUNING_H

#include <stdlib.h>
#ifdef __GLIBC__
// mallopt and its parameters, which Swift's Glibc module does not export.
#include <malloc.h>
#endif

/// The number of malloc arenas the envmon executable allows itself (see malloc_tuning.c).
int envmon_malloc_arena_max(void);

/// The heap's mmap threshold in bytes the envmon executable set, or 0 where glibc or the
/// environment sets it (see malloc_tuning.c).
long envmon_malloc_mmap_threshold(void);

#endif
