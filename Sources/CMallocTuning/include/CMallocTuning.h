#ifndef ENVMON_CMALLOCTUNING_H
#define ENVMON_CMALLOCTUNING_H

/// The number of malloc arenas the envmon executable allows itself (see malloc_tuning.c).
int envmon_malloc_arena_max(void);

#endif
