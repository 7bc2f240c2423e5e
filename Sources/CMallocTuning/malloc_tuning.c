// glibc gives threads that allocate at the same time arenas of their own, up to eight per core,
// and memory freed in one arena is reused by that arena's threads only. The daemon's event
// loops, the writer's queue and the concurrency pool each allocate and free batches of samples;
// their arenas held some 20 MiB more than two arenas did under the 1,000-unit load, with the
// daemon's CPU unchanged in that benchmark. glibc fixes the arena limit the first time a thread
// needs a new arena, which in an async Swift program happens before any Swift code of ours
// runs: hence a constructor, run when the executable is loaded. MALLOC_ARENA_MAX in the
// environment wins.
//
// Blocks of a few hundred KB to a few MB (a year's trend by hour: its rollup rows, its answer's
// rows, its CSV) were mapped for each request and unmapped after it, or came from the top of
// the heap and went back to the kernel when freed, and every page of them was faulted in and
// cleared again on the next request: a fifth of the API's CPU on that trend. So the daemon, when
// it starts, has blocks under 4 MiB come from the heap and keeps up to 8 MiB free at a heap's
// top (glibc reads both settings at each allocation, so a call at start is enough; setting
// either one turns off glibc's own sliding of the two). One-shot commands keep glibc's way.
// MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ in the environment win.
#include "CMallocTuning.h"  // <stdlib.h>, and <malloc.h> where __GLIBC__ is defined

static int arena_max = 0;

#ifdef __GLIBC__
__attribute__((constructor)) static void envmon_tune_malloc(void) {
    if (getenv("MALLOC_ARENA_MAX") == NULL) {
        arena_max = 2;
        mallopt(M_ARENA_MAX, arena_max);
    }
}
#endif

int envmon_malloc_arena_max(void) { return arena_max; }

int envmon_malloc_tune_for_daemon(void) {
#ifdef __GLIBC__
    if (getenv("MALLOC_MMAP_THRESHOLD_") != NULL || getenv("MALLOC_TRIM_THRESHOLD_") != NULL) return 0;
    mallopt(M_MMAP_THRESHOLD, ENVMON_DAEMON_MMAP_THRESHOLD);
    mallopt(M_TRIM_THRESHOLD, ENVMON_DAEMON_TRIM_THRESHOLD);
    return 1;
#else
    return 0;
#endif
}
