/* pal-helper-error.h — errors of palisade-helper, as D-Bus errors.
 *
 * Registered with g_dbus_error_register_error_domain(), so a client sees
 * io.github.palisade.Firewall1.Error.Conflict and gets back a GError in
 * PAL_HELPER_ERROR with the same code.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define PAL_HELPER_ERROR (pal_helper_error_quark ())

typedef enum
{
  PAL_HELPER_ERROR_FAILED,            /* .Failed: anything not below */
  PAL_HELPER_ERROR_INVALID_DOCUMENT,  /* .InvalidDocument: does not validate or compile; message located */
  PAL_HELPER_ERROR_INVALID_ARGS,      /* .InvalidArgs: an argument out of range or malformed */
  PAL_HELPER_ERROR_CONFLICT,          /* .Conflict: someone else changed our table since we read it */
  PAL_HELPER_ERROR_KERNEL,            /* .Kernel: netlink refused the change (errno in message) */
  PAL_HELPER_ERROR_NOT_SUPPORTED,     /* .NotSupported: the running kernel lacks a feature */
  PAL_HELPER_ERROR_ACCESS_DENIED,     /* .AccessDenied: polkit said no */
  PAL_HELPER_ERROR_BUSY,              /* .Busy: another apply is in progress */
} PalHelperError;

GQuark pal_helper_error_quark (void);

G_END_DECLS
