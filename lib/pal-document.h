/* pal-document.h — a firewall document: the outline of rules and the
 * settings that go with it (master switch, default verdict, interfaces,
 * triggered table, adaptive firewall). Read and written by pal-fwdoc.h.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "pal-enums.h"
#include "pal-interface-config.h"
#include "pal-rule.h"

G_BEGIN_DECLS

/* The .fwdoc format version this code writes and fully understands. */
#define PAL_FWDOC_VERSION 1

/* Limits, so a hostile document cannot exhaust memory (checked when reading). */
#define PAL_DOCUMENT_MAX_SIZE        (256 * 1024 * 1024) /* bytes of a .fwdoc file */
#define PAL_DOCUMENT_MAX_RULES       250000              /* rules in the whole outline */
#define PAL_DOCUMENT_MAX_DEPTH       16                  /* nesting of rules */
#define PAL_DOCUMENT_MAX_NAME_LENGTH 256                 /* bytes of a rule or interface name */
#define PAL_DOCUMENT_MAX_INTERFACES  1024
#define PAL_DOCUMENT_MAX_TRUSTED     10000               /* entries of the trusted list */

/* Defaults of a new document, as in Mac OS X Server's adaptive firewall. */
#define PAL_DEFAULT_TRIGGER_DURATION   (15 * 60)
#define PAL_DEFAULT_ADAPTIVE_FAILURES  10
#define PAL_DEFAULT_ADAPTIVE_WINDOW    (15 * 60)
#define PAL_DEFAULT_ADAPTIVE_DURATION  (15 * 60)
#define PAL_DEFAULT_ADAPTIVE_MAX       (24 * 60 * 60)

#define PAL_DOCUMENT_ERROR (pal_document_error_quark ())

typedef enum
{
  PAL_DOCUMENT_ERROR_SYNTAX,         /* not JSON */
  PAL_DOCUMENT_ERROR_ENCODING,       /* not UTF-8 */
  PAL_DOCUMENT_ERROR_TYPE,           /* a member of the wrong JSON type */
  PAL_DOCUMENT_ERROR_MISSING,        /* a required member is absent */
  PAL_DOCUMENT_ERROR_INVALID_VALUE,  /* a value, parameter or name that does not parse */
  PAL_DOCUMENT_ERROR_UNSUPPORTED,    /* a property or action nftables cannot express */
  PAL_DOCUMENT_ERROR_CONTRADICTION,  /* a rule that can never match below its parents */
  PAL_DOCUMENT_ERROR_LIMIT,          /* too large, too deep, too many */
  PAL_DOCUMENT_ERROR_VERSION,        /* made by an incompatible (newer major) version */
} PalDocumentError;

/* The adaptive firewall: ban an address after repeated failed logins. */
typedef struct
{
  gboolean  enabled;
  guint     failures;      /* failed logins that make a ban */
  guint64   window;        /* seconds in which they must happen */
  guint64   duration;      /* seconds of the first ban */
  guint64   max_duration;  /* repeat offenders' bans double up to this */
  char    **services;      /* watched services: "sshd", … */
} PalAdaptiveSettings;

#define PAL_TYPE_ADAPTIVE_SETTINGS (pal_adaptive_settings_get_type ())
GType                pal_adaptive_settings_get_type (void) G_GNUC_CONST;
PalAdaptiveSettings *pal_adaptive_settings_new (void);   /* with the defaults above */
PalAdaptiveSettings *pal_adaptive_settings_copy (const PalAdaptiveSettings *settings);
void                 pal_adaptive_settings_free (PalAdaptiveSettings *settings);
gboolean             pal_adaptive_settings_equal (const PalAdaptiveSettings *a,
                                                  const PalAdaptiveSettings *b);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (PalAdaptiveSettings, pal_adaptive_settings_free)

#define PAL_TYPE_DOCUMENT (pal_document_get_type ())
G_DECLARE_FINAL_TYPE (PalDocument, pal_document, PAL, DOCUMENT, GObject)

GQuark       pal_document_error_quark (void);

PalDocument *pal_document_new (void);
/* A deep copy, ids kept. */
PalDocument *pal_document_copy (PalDocument *self);

/* The format version the document was read with (PAL_FWDOC_VERSION for new ones). */
guint        pal_document_get_format_version (PalDocument *self);
void         pal_document_set_format_version (PalDocument *self,
                                              guint        version);

/* The master switch, as it was when the document was saved ("On"). */
gboolean     pal_document_get_enabled (PalDocument *self);
void         pal_document_set_enabled (PalDocument *self,
                                       gboolean     enabled);
PalVerdict   pal_document_get_default_verdict (PalDocument *self);
void         pal_document_set_default_verdict (PalDocument *self,
                                               PalVerdict   verdict);
/* "Log denied": packets the default verdict or a drop, reject or trigger
 * rule denies are also logged (rate-limited, see pal-nft-compiler.h). */
gboolean     pal_document_get_log_denied (PalDocument *self);
void         pal_document_set_log_denied (PalDocument *self,
                                          gboolean     log_denied);

/* The top-level rules, a list model of PalRule. Change it through the
 * functions below. */
GListModel  *pal_document_get_rules (PalDocument *self);
void         pal_document_insert_rule (PalDocument *self,
                                       guint        position,
                                       PalRule     *rule);
void         pal_document_append_rule (PalDocument *self,
                                       PalRule     *rule);
void         pal_document_remove_rule (PalDocument *self,
                                       guint        position);
/* Replace the whole outline (Defaults, Show Active). */
void         pal_document_set_rules (PalDocument *self,
                                     GPtrArray   *rules);
/* Every rule of the outline, depth first. */
guint        pal_document_count_rules (PalDocument *self);
PalRule     *pal_document_find_rule (PalDocument *self,
                                     const char  *id);

/* Interfaces, a list model of PalInterfaceConfig sorted by name. */
GListModel         *pal_document_get_interfaces (PalDocument *self);
PalInterfaceConfig *pal_document_lookup_interface (PalDocument *self,
                                                   const char  *name);
/* Adds config, or replaces the one of the same name. */
void                pal_document_set_interface (PalDocument        *self,
                                                PalInterfaceConfig *config);
void                pal_document_remove_interface (PalDocument *self,
                                                   const char  *name);

/* The triggered table: how long a trigger bans by default (seconds), and the
 * trusted addresses and networks that are never banned. The setters notify
 * ("trigger-duration", "trusted", "adaptive") only when the value changes. */
guint64             pal_document_get_trigger_duration (PalDocument *self);
void                pal_document_set_trigger_duration (PalDocument *self,
                                                       guint64      seconds);
const char * const *pal_document_get_trusted (PalDocument *self);
void                pal_document_set_trusted (PalDocument        *self,
                                              const char * const *trusted);

const PalAdaptiveSettings *pal_document_get_adaptive (PalDocument *self);
void                       pal_document_set_adaptive (PalDocument               *self,
                                                      const PalAdaptiveSettings *settings);

/* Members this version does not know, per object, kept for writing back. */
JsonObject  *pal_document_get_extra (PalDocument *self);
void         pal_document_set_extra (PalDocument *self,
                                     JsonObject  *extra);
JsonObject  *pal_document_get_triggered_extra (PalDocument *self);
void         pal_document_set_triggered_extra (PalDocument *self,
                                               JsonObject  *extra);
JsonObject  *pal_document_get_adaptive_extra (PalDocument *self);
void         pal_document_set_adaptive_extra (PalDocument *self,
                                              JsonObject  *extra);

G_END_DECLS
