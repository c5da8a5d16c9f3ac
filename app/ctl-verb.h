/* ctl-verb.h — how palisadectl's verbs plug into its main().
 *
 * Each group of verbs lives in its own file and exports a table ending with
 * an entry whose name is NULL. main() (palisadectl.c) finds the verb and
 * calls run() with argv[0] = the verb; run() parses its own options with a
 * GOptionContext (so "palisadectl VERB --help" works) and returns the exit
 * status: 0 success, 1 failure or invalid input, 2 usage error.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define PAL_CTL_EXIT_OK      0
#define PAL_CTL_EXIT_FAILURE 1
#define PAL_CTL_EXIT_USAGE   2

typedef struct
{
  const char *name;
  const char *parameters;   /* for --help: "FILE…" */
  const char *summary;      /* one line for "palisadectl --help" */
  int       (*run) (int    argc,
                    char **argv);
} PalCtlVerb;

/* validate, print (ctl-document-verbs.c) */
extern const PalCtlVerb pal_ctl_document_verbs[];
/* apply, show-active, enable, disable, status, counters, export (ctl-firewall-verbs.c) */
extern const PalCtlVerb pal_ctl_firewall_verbs[];
/* autostart (ctl-autostart-verbs.c) */
extern const PalCtlVerb pal_ctl_autostart_verbs[];
/* triggered, trusted (ctl-triggered-verbs.c) */
extern const PalCtlVerb pal_ctl_triggered_verbs[];
/* boot (ctl-boot-verbs.c) */
extern const PalCtlVerb pal_ctl_boot_verbs[];
/* interfaces, log (ctl-net-verbs.c) */
extern const PalCtlVerb pal_ctl_net_verbs[];

G_END_DECLS
