/* pal-helper-client.h — the GUI's connection to palisade-helper.
 *
 * One per application, shared by its windows: the generated
 * PalDBusFirewall1 proxy on the system bus (or on the sandbox's bus with
 * "palisade --sandbox"), the helper's Enabled state, its Changed signal, and
 * the four calls of docs/DBUS-CONTRACT.md with errors turned into sentences
 * (the remote error's name stripped, the code kept in PAL_HELPER_ERROR).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-document.h"
#include "pal-other-table.h"

G_BEGIN_DECLS

typedef enum
{
  PAL_HELPER_BUS_SYSTEM,   /* the installed helper, activated on the system bus */
  PAL_HELPER_BUS_SANDBOX,  /* "palisade-helper --sandbox" (lib/pal-sandbox.h) */
} PalHelperBus;

#define PAL_TYPE_HELPER_CLIENT (pal_helper_client_get_type ())
G_DECLARE_FINAL_TYPE (PalHelperClient, pal_helper_client, PAL, HELPER_CLIENT, GObject)

PalHelperClient *pal_helper_client_new (PalHelperBus bus);
/* Connects and reads the helper's state; "available" says how it went. */
void             pal_helper_client_connect_async (PalHelperClient     *self,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         pal_helper_client_connect_finish (PalHelperClient  *self,
                                                   GAsyncResult     *result,
                                                   GError          **error);

gboolean         pal_helper_client_get_available (PalHelperClient *self);
/* TRUE once connecting has failed (then the reason below says why). */
gboolean         pal_helper_client_get_failed (PalHelperClient *self);
/* Why the helper cannot be used, as a sentence; NULL when available. */
const char      *pal_helper_client_get_unavailable_reason (PalHelperClient *self);
/* The master switch as the kernel has it (table active, not dormant). */
gboolean         pal_helper_client_get_enabled (PalHelperClient *self);
guint            pal_helper_client_get_generation (PalHelperClient *self);
PalHelperBus     pal_helper_client_get_bus (PalHelperClient *self);
/* The generated PalDBusFirewall1 proxy, for the calls and signals the
 * client does not wrap (the log, the interfaces); NULL until connected. */
GDBusProxy      *pal_helper_client_get_proxy (PalHelperClient *self);

/* Sends the document; polkit may ask for a password (interactive). */
void             pal_helper_client_apply_async (PalHelperClient     *self,
                                                PalDocument         *document,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean         pal_helper_client_apply_finish (PalHelperClient  *self,
                                                 GAsyncResult     *result,
                                                 GError          **error);
void             pal_helper_client_get_active_async (PalHelperClient     *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
PalDocument     *pal_helper_client_get_active_finish (PalHelperClient  *self,
                                                      GAsyncResult     *result,
                                                      GError          **error);
/* The other programs' nftables tables: a list of PalOtherTable. */
void             pal_helper_client_get_other_tables_async (PalHelperClient     *self,
                                                           GCancellable        *cancellable,
                                                           GAsyncReadyCallback  callback,
                                                           gpointer             user_data);
GListModel      *pal_helper_client_get_other_tables_finish (PalHelperClient  *self,
                                                            GAsyncResult     *result,
                                                            GError          **error);
/* GetCounterValues(known): the (tasat) reply, for pal_counter_layout_update(). */
void             pal_helper_client_get_counters_async (PalHelperClient     *self,
                                                       guint64              known,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GVariant        *pal_helper_client_get_counters_finish (PalHelperClient  *self,
                                                        GAsyncResult     *result,
                                                        GError          **error);
void             pal_helper_client_set_enabled_async (PalHelperClient     *self,
                                                      gboolean             enabled,
                                                      GCancellable        *cancellable,
                                                      GAsyncReadyCallback  callback,
                                                      gpointer             user_data);
gboolean         pal_helper_client_set_enabled_finish (PalHelperClient  *self,
                                                       GAsyncResult     *result,
                                                       GError          **error);

/* Apply with confirmation: every Apply from now on asks the helper to
 * roll back unless pal_helper_client_decide_async() keeps it within
 * seconds (0: no confirmation). "rolled-back" (reason) says when a
 * change was undone. */
void             pal_helper_client_set_confirm_timeout (PalHelperClient *self,
                                                        guint            seconds);
guint            pal_helper_client_get_confirm_timeout (PalHelperClient *self);
/* keep: Confirm(); else RollBack() now. */
void             pal_helper_client_decide_async (PalHelperClient     *self,
                                                 gboolean             keep,
                                                 GCancellable        *cancellable,
                                                 GAsyncReadyCallback  callback,
                                                 gpointer             user_data);
gboolean         pal_helper_client_decide_finish (PalHelperClient  *self,
                                                  GAsyncResult     *result,
                                                  GError          **error);

G_END_DECLS
