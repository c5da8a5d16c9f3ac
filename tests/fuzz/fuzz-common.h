/* fuzz-common.h — what every fuzz target shares.
 *
 * A target is one function, LLVMFuzzerTestOneInput(), that feeds bytes to
 * one input surface and aborts when an oracle fails. Built with
 * -Dfuzzing=true it links libFuzzer; otherwise fuzz-main.c runs it over
 * the seed corpus and the saved regressions, so every crash ever found stays
 * a test of the normal build.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include <glib.h>

G_BEGIN_DECLS

int  LLVMFuzzerInitialize (int    *argc,
                           char ***argv);
int  LLVMFuzzerTestOneInput (const uint8_t *data,
                             size_t         size);

/* A target that needs more than a process (a network namespace, say)
 * defines this; FALSE with a reason when this machine cannot run it: the
 * run is then skipped (exit status 77). */
gboolean fuzz_target_init (char **reason) __attribute__ ((weak));

/* Aborts with both texts when they differ: an oracle failed. */
void fuzz_assert_same_text (const char *what,
                            const char *expected,
                            const char *got);

G_END_DECLS
