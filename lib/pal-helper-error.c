/* pal-helper-error.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pal-helper-error.h"

static const GDBusErrorEntry helper_error_entries[] = {
  { PAL_HELPER_ERROR_FAILED, "io.github.palisade.Firewall1.Error.Failed" },
  { PAL_HELPER_ERROR_INVALID_DOCUMENT, "io.github.palisade.Firewall1.Error.InvalidDocument" },
  { PAL_HELPER_ERROR_INVALID_ARGS, "io.github.palisade.Firewall1.Error.InvalidArgs" },
  { PAL_HELPER_ERROR_CONFLICT, "io.github.palisade.Firewall1.Error.Conflict" },
  { PAL_HELPER_ERROR_KERNEL, "io.github.palisade.Firewall1.Error.Kernel" },
  { PAL_HELPER_ERROR_NOT_SUPPORTED, "io.github.palisade.Firewall1.Error.NotSupported" },
  { PAL_HELPER_ERROR_ACCESS_DENIED, "io.github.palisade.Firewall1.Error.AccessDenied" },
  { PAL_HELPER_ERROR_BUSY, "io.github.palisade.Firewall1.Error.Busy" },
};

GQuark
pal_helper_error_quark (void)
{
  static gsize quark = 0;

  g_dbus_error_register_error_domain ("pal-helper-error-quark", &quark,
                                      helper_error_entries,
                                      G_N_ELEMENTS (helper_error_entries));
  return (GQuark) quark;
}
