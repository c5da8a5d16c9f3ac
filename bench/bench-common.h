/* bench-common.h — what the benchmarks that time in milliseconds share:
 * the clock, CPU time, the median of a run's times, and generated IPv4
 * addresses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double   bench_now_ms     (void);
/* User + system time in ms of this process (RUSAGE_SELF) or of its
 * waited-for children (RUSAGE_CHILDREN). */
double   bench_cpu_ms     (int     who);
/* The same for another process, from /proc/PID/stat; -1 when it is gone. */
double   bench_process_cpu_ms (int pid);
double   bench_median     (double *times,
                           guint   n_times);
char   **bench_addresses  (guint   n,
                           guint   first_octet);

G_END_DECLS
