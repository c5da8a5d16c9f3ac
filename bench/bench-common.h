/* bench-common.h — what the benchmarks that time in milliseconds share:
 * the clock, the median of a run's times, and generated IPv4 addresses.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

double   bench_now_ms     (void);
double   bench_median     (double *times,
                           guint   n_times);
char   **bench_addresses  (guint   n,
                           guint   first_octet);

G_END_DECLS
