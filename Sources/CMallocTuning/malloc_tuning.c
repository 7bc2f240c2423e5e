// glibc gives threads that allocate at the same time arenas of their own, up to eight per core,
// and memory freed in one arena is reused by that arena's threads only. The daemon's event
// loops, the writer's queue and the concurrency pool each allocate and free batches of samples;
// their arenas held some 20 MiB more than two arenas did under the 1,000-unit load, with the
// daemon's CPU unchanged in that benchmark. glibc fixes the arena limit the first time a thread
// needs a new arena, which in an async Swift program happens before any Swift code of ours
// runs: hence a constructor, run when the executable is loaded. MALLOC_ARENA_MAX in the
// environment wins.
#include "CMallocTuning.h"  // <stdlib.h>, and <malloc.h> where __GLIBC__ is defined

static int arena_max = 0;

#ifdef __GLIBC__
__attribute__((constructor)) static void envmon_limit_malloc_arenas(void) {
    if (getenv("MALLOC_ARENA_MAX") != NULL) return;
    arena_max = 2;
    mallopt(M_ARENA_MAX, arena_max);
}
#endif

int envmon_malloc_arena_max(void) { return arena_max; }
