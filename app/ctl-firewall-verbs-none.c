/* ctl-firewall-verbs-none.c — palisadectl without its kernel verbs.
 *
 * The verbs that talk to palisade-helper (apply, show-active, …) come with
 * ctl-firewall-verbs.c, which replaces this file; until then palisadectl
 * offers the document verbs only.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "ctl-verb.h"

const PalCtlVerb pal_ctl_firewall_verbs[] = {
  { NULL, NULL, NULL, NULL },
};
