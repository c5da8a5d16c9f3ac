/* pal-helper-triggered.c
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <unistd.h>

#include "pal-adaptive-state.h"
#include "pal-adaptive.h"
#include "pal-ban-events.h"
#include "pal-helper-error.h"
#include "pal-helper-triggered.h"
#include "pal-value.h"

/* A save waits this long for more changes, so a burst makes one write. */
#define SAVE_DELAY_MS 1000
/* Rules ban without telling us: save this often anyway. */
#define SAVE_PERIOD_S 60
/* Durations beyond this (except forever) are refused, as in documents. */
#define MAX_DURATION ((guint64) 3650 * 24 * 60 * 60)

struct _PalHelperTriggered
{
  GObject           parent_instance;

  PalDBusFirewall1 *object;        /* not a reference: it owns us */
  PalFirewall      *firewall;
  GMutex           *kernel_lock;
  GMutex           *apply_lock;
  PalTriggered     *triggered;
  GError           *triggered_error;
  PalAdaptive      *adaptive;      /* main context */
  gint              watching;      /* atomic: read from any thread */
  /* What the adaptive firewall follows (main context): the last applied
   * document's settings, saved with the repeat offenders' bans. NULL
   * until a document is applied or a saved state is resumed. */
  PalAdaptiveSettings *adaptive_settings;
  GStrv             adaptive_trusted;
  GMainContext     *context;
  char             *state_directory;

  PalBanEvents     *ban_events;     /* banned and unbanned, for the log */
  guint             ban_source;     /* main context */

  GMutex            save_lock;
  guint             save_source;    /* main context */
  guint             period_source;
  gboolean          restore_pending;
};

G_DEFINE_FINAL_TYPE (PalHelperTriggered, pal_helper_triggered, G_TYPE_OBJECT)

enum {
  EVENTS,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void save_adaptive (PalHelperTriggered *self);

static void
pal_helper_triggered_dispose (GObject *object)
{
  PalHelperTriggered *self = PAL_HELPER_TRIGGERED (object);

  if (self->triggered != NULL && !self->restore_pending)
    {
      g_autoptr(GError) error = NULL;

      if (!pal_helper_triggered_save (self, &error))
        g_warning ("Saving the triggered addresses at exit: %s", error->message);
    }
  save_adaptive (self);
  if (self->object != NULL)
    g_signal_handlers_disconnect_by_data (self->object, self);
  self->object = NULL;
  g_clear_handle_id (&self->save_source, g_source_remove);
  g_clear_handle_id (&self->period_source, g_source_remove);
  g_clear_handle_id (&self->ban_source, g_source_remove);
  g_clear_object (&self->adaptive);
  g_clear_object (&self->triggered);
  g_clear_object (&self->firewall);

  G_OBJECT_CLASS (pal_helper_triggered_parent_class)->dispose (object);
}

static void
pal_helper_triggered_finalize (GObject *object)
{
  PalHelperTriggered *self = PAL_HELPER_TRIGGERED (object);

  g_clear_error (&self->triggered_error);
  g_clear_pointer (&self->adaptive_settings, pal_adaptive_settings_free);
  g_clear_pointer (&self->adaptive_trusted, g_strfreev);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->state_directory);
  g_mutex_clear (&self->save_lock);
  g_clear_pointer (&self->ban_events, pal_ban_events_free);

  G_OBJECT_CLASS (pal_helper_triggered_parent_class)->finalize (object);
}

static void
pal_helper_triggered_class_init (PalHelperTriggeredClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = pal_helper_triggered_dispose;
  object_class->finalize = pal_helper_triggered_finalize;

  /**
   * PalHelperTriggered::events:
   * @kind: PAL_LOG_KIND_BANNED or PAL_LOG_KIND_UNBANNED
   * @texts: the sentences, "Banned 192.0.2.7 for 15m: …", in order
   *
   * Addresses came into or left the triggered sets (see pal-ban-events.h):
   * all of one kind that one look or one addition found, at once. Emitted
   * in any thread.
   */
  signals[EVENTS] = g_signal_new ("events", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                  G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRV | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
pal_helper_triggered_init (PalHelperTriggered *self)
{
  g_mutex_init (&self->save_lock);
  self->ban_events = pal_ban_events_new ();
}

/* The sentences of one look or addition: banned, then unbanned. */
typedef struct
{
  GPtrArray *texts[2];
} EventBatch;

static void
collect_ban_event (PalLogKind  kind,
                   const char *text,
                   gpointer    data)
{
  EventBatch *batch = data;
  guint index = kind == PAL_LOG_KIND_UNBANNED;

  if (batch->texts[index] == NULL)
    batch->texts[index] = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (batch->texts[index], g_strdup (text));
}

static void
emit_batch (PalHelperTriggered *self,
            EventBatch         *batch)
{
  const PalLogKind kinds[2] = { PAL_LOG_KIND_BANNED, PAL_LOG_KIND_UNBANNED };

  for (guint i = 0; i < 2; i++)
    {
      if (batch->texts[i] == NULL)
        continue;
      g_ptr_array_add (batch->texts[i], NULL);
      g_signal_emit (self, signals[EVENTS], 0, (int) kinds[i], (char **) batch->texts[i]->pdata);
      g_clear_pointer (&batch->texts[i], g_ptr_array_unref);
    }
}

/* expired: a periodic look, not one after a change of ours. */
static void
look_for_bans (PalHelperTriggered *self,
               gboolean            expired)
{
  EventBatch batch = { { NULL, NULL } };

  if (self->triggered == NULL)
    return;
  pal_ban_events_look (self->ban_events, self->triggered, expired, collect_ban_event, &batch);
  emit_batch (self, &batch);
}

static void
look_in_thread (GTask        *task,
                gpointer      source,
                gpointer      data,
                GCancellable *cancellable)
{
  look_for_bans (source, TRUE);
}

/* Rules ban and bans run out inside the kernel: look now and then, off
 * the main context (the sets can be large). */
static gboolean
on_ban_period (gpointer user_data)
{
  g_autoptr(GTask) task = g_task_new (user_data, NULL, NULL, NULL);

  g_task_run_in_thread (task, look_in_thread);
  return G_SOURCE_CONTINUE;
}

char *
pal_helper_triggered_state_directory (void)
{
  const char *directory = g_getenv ("PALISADE_STATE_DIRECTORY");

  if (directory != NULL && *directory != '\0')
    return g_strdup (directory);
  directory = g_getenv ("STATE_DIRECTORY");
  if (directory != NULL && *directory != '\0')
    {
      /* systemd lists one directory per StateDirectory=, ours first. */
      g_auto(GStrv) parts = g_strsplit (directory, ":", 2);

      return g_strdup (parts[0]);
    }
  if (getuid () == 0)
    return g_strdup ("/var/lib/palisade");
  return g_build_filename (g_get_user_state_dir (), "palisade", NULL);
}

/* ------------------------------------------------------------ persistence */

gboolean
pal_helper_triggered_save (PalHelperTriggered  *self,
                           GError             **error)
{
  gboolean ok;

  g_return_val_if_fail (PAL_IS_HELPER_TRIGGERED (self), FALSE);

  if (self->triggered == NULL)
    return TRUE;
  g_mutex_lock (&self->save_lock);
  ok = pal_triggered_save (self->triggered, self->state_directory, error);
  g_mutex_unlock (&self->save_lock);
  return ok;
}

/* Main context. */
static void
save_adaptive (PalHelperTriggered *self)
{
  g_autoptr(GHashTable) bans = NULL;
  g_autoptr(GError) error = NULL;

  if (self->adaptive == NULL || self->adaptive_settings == NULL)
    return;
  bans = pal_adaptive_dup_bans (self->adaptive);
  if (!pal_adaptive_state_save (self->state_directory, self->adaptive_settings,
                                (const char * const *) self->adaptive_trusted, bans, &error))
    g_warning ("Saving the adaptive firewall's state: %s", error->message);
}

/* Main context. */
static void
save_quietly (PalHelperTriggered *self)
{
  g_autoptr(GError) error = NULL;

  save_adaptive (self);
  /* Saved bans wait for a table: an empty save would lose them. */
  if (self->restore_pending)
    return;
  if (!pal_helper_triggered_save (self, &error))
    g_warning ("Saving the triggered addresses: %s", error->message);
}

static gboolean
on_save_timeout (gpointer user_data)
{
  PalHelperTriggered *self = user_data;

  self->save_source = 0;
  save_quietly (self);
  return G_SOURCE_REMOVE;
}

static gboolean
on_period (gpointer user_data)
{
  save_quietly (user_data);
  return G_SOURCE_CONTINUE;
}

/* Main context. */
static gboolean
schedule_save (gpointer user_data)
{
  PalHelperTriggered *self = user_data;

  if (self->save_source == 0 && self->object != NULL)
    self->save_source = g_timeout_add (SAVE_DELAY_MS, on_save_timeout, self);
  return G_SOURCE_REMOVE;
}

/* TriggeredChanged, and a save soon. */
static void
tell_changed (PalHelperTriggered *self)
{
  if (self->object != NULL)
    pal_dbus_firewall1_emit_triggered_changed (self->object);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, schedule_save,
                              g_object_ref (self), g_object_unref);
}

void
pal_helper_triggered_changed (PalHelperTriggered *self)
{
  g_return_if_fail (PAL_IS_HELPER_TRIGGERED (self));

  look_for_bans (self, FALSE);
  tell_changed (self);
}

/* After an addition of ours: its banned events from what it added, not
 * from a reading of the whole sets. */
static void
changed_by_adding (PalHelperTriggered *self,
                   GPtrArray          *added)
{
  EventBatch batch = { { NULL, NULL } };

  pal_ban_events_added (self->ban_events, added, collect_ban_event, &batch);
  emit_batch (self, &batch);
  tell_changed (self);
}

static void
restore (PalHelperTriggered *self)
{
  g_autoptr(GError) error = NULL;
  gint64 restored;

  if (self->triggered == NULL || !pal_triggered_sets_exist (self->triggered))
    return;
  restored = pal_triggered_restore (self->triggered, self->state_directory, &error);
  if (restored < 0)
    {
      g_warning ("Restoring the triggered addresses from %s: %s", self->state_directory, error->message);
      return;
    }
  self->restore_pending = FALSE;
  if (restored > 0)
    {
      g_info ("Restored %" G_GINT64_FORMAT " triggered addresses from %s", restored, self->state_directory);
      pal_helper_triggered_changed (self);
    }
}

/* Where failed logins are read: $PALISADE_AUTH_LOG (a file), else the
 * journal when journald runs, else the syslog file of the distribution. */
static gboolean
start_watching (PalHelperTriggered  *self,
                GError             **error)
{
  const char *path = g_getenv ("PALISADE_AUTH_LOG");
  const char *const files[] = { "/var/log/auth.log", "/var/log/secure", NULL };

  if (path != NULL && *path != '\0')
    return pal_adaptive_watch_file (self->adaptive, path, FALSE, error);
  if (g_file_test ("/run/systemd/journal/socket", G_FILE_TEST_EXISTS))
    return pal_adaptive_watch_journal (self->adaptive, NULL, error);
  for (guint i = 0; files[i] != NULL; i++)
    if (g_file_test (files[i], G_FILE_TEST_EXISTS))
      return pal_adaptive_watch_file (self->adaptive, files[i], FALSE, error);
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                       "neither journald nor /var/log/auth.log nor /var/log/secure is there");
  return FALSE;
}

typedef struct
{
  PalHelperTriggered *self;
  PalDocument        *document;
} Applied;

static void
applied_free (gpointer data)
{
  Applied *applied = data;

  g_object_unref (applied->self);
  g_object_unref (applied->document);
  g_free (applied);
}

/* Main context: the adaptive firewall follows settings and trusted (of
 * the applied document, or saved from it before a restart). */
static void
configure_from (PalHelperTriggered        *self,
                const PalAdaptiveSettings *settings,
                const char * const        *trusted)
{
  g_autoptr(GError) error = NULL;

  pal_adaptive_configure (self->adaptive, settings, trusted);
  g_clear_pointer (&self->adaptive_settings, pal_adaptive_settings_free);
  self->adaptive_settings = pal_adaptive_settings_copy (settings);
  g_strfreev (self->adaptive_trusted);
  self->adaptive_trusted = g_strdupv ((char **) trusted);
  if (settings->enabled && !g_atomic_int_get (&self->watching))
    {
      g_atomic_int_set (&self->watching, start_watching (self, &error));
      if (!g_atomic_int_get (&self->watching))
        g_warning ("The adaptive firewall cannot read failed logins: %s", error->message);
    }
  else if (!settings->enabled && g_atomic_int_get (&self->watching))
    {
      pal_adaptive_stop (self->adaptive);
      g_atomic_int_set (&self->watching, FALSE);
    }
}

/* Main context: the adaptive firewall follows the applied document. */
static gboolean
configure_adaptive (gpointer data)
{
  Applied *applied = data;
  PalHelperTriggered *self = applied->self;

  if (self->adaptive == NULL)
    return G_SOURCE_REMOVE;
  configure_from (self, pal_document_get_adaptive (applied->document),
                  pal_document_get_trusted (applied->document));
  save_adaptive (self);
  return G_SOURCE_REMOVE;
}

/* At start: the repeat offenders' bans come back, and while our table is
 * there (the helper restarted, or the boot document was applied before it
 * started) the adaptive firewall watches again as the last applied
 * document said. Without the table it waits for the next Apply, which
 * brings that document's settings. */
static void
resume_adaptive (PalHelperTriggered *self)
{
  g_autoptr(PalAdaptiveState) state = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer address, bans;

  if (self->adaptive == NULL)
    return;
  state = pal_adaptive_state_load (self->state_directory, &error);
  if (state == NULL)
    {
      if (error != NULL)
        g_warning ("The adaptive firewall starts afresh: %s", error->message);
      return;
    }
  if (pal_triggered_sets_exist (self->triggered))
    configure_from (self, state->settings, (const char * const *) state->trusted);
  else
    {
      /* Kept, so a save before the next Apply does not lose the bans. */
      self->adaptive_settings = g_steal_pointer (&state->settings);
      self->adaptive_trusted = g_steal_pointer (&state->trusted);
    }
  g_hash_table_iter_init (&iter, state->bans);
  while (g_hash_table_iter_next (&iter, &address, &bans))
    pal_adaptive_set_bans (self->adaptive, address, GPOINTER_TO_UINT (bans));
  if (g_atomic_int_get (&self->watching))
    g_info ("The adaptive firewall resumed watching failed logins, %u repeat offenders remembered",
            g_hash_table_size (state->bans));
}

void
pal_helper_triggered_applied (PalHelperTriggered *self,
                              PalDocument        *document)
{
  Applied *applied;

  g_return_if_fail (PAL_IS_HELPER_TRIGGERED (self));
  g_return_if_fail (PAL_IS_DOCUMENT (document));

  if (self->restore_pending)
    restore (self);
  applied = g_new0 (Applied, 1);
  applied->self = g_object_ref (self);
  applied->document = g_object_ref (document);
  g_main_context_invoke_full (self->context, G_PRIORITY_DEFAULT, configure_adaptive, applied, applied_free);
}

gboolean
pal_helper_triggered_get_busy (PalHelperTriggered *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_TRIGGERED (self), FALSE);
  return g_atomic_int_get (&self->watching);
}

PalTriggered *
pal_helper_triggered_get_triggered (PalHelperTriggered *self)
{
  g_return_val_if_fail (PAL_IS_HELPER_TRIGGERED (self), NULL);
  return self->triggered;
}

/* ------------------------------------------------------------ helpers */

static gboolean
check_triggered (PalHelperTriggered     *self,
                 GDBusMethodInvocation  *invocation)
{
  if (self->triggered != NULL)
    return TRUE;
  g_dbus_method_invocation_return_error (invocation, PAL_HELPER_ERROR, PAL_HELPER_ERROR_KERNEL,
                                         "The triggered sets cannot be reached: %s",
                                         self->triggered_error->message);
  return FALSE;
}

static void
return_error (GDBusMethodInvocation *invocation,
              GError                *error)
{
  if (error->domain == PAL_HELPER_ERROR)
    g_dbus_method_invocation_return_gerror (invocation, error);
  else
    g_dbus_method_invocation_return_error_literal (invocation, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                                                   error->message);
}

static gboolean
check_duration (guint64   seconds,
                GError  **error)
{
  if (seconds == G_MAXUINT64 || (seconds > 0 && seconds <= MAX_DURATION))
    return TRUE;
  g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
               "A duration of %" G_GUINT64_FORMAT " seconds is not between 1 second and ten years "
               "(give %" G_GUINT64_FORMAT " for forever)", seconds, G_MAXUINT64);
  return FALSE;
}

static gboolean
has_table (PalHelperTriggered *self)
{
  return self->triggered != NULL && pal_triggered_sets_exist (self->triggered);
}

/* The kernel's document (kernel_lock held by the caller). */
static PalDocument *
active_document (PalHelperTriggered  *self,
                 GError             **error)
{
  if (!has_table (self))
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_FAILED,
                           "No document has been applied: apply one first");
      return NULL;
    }
  return pal_firewall_get_active (self->firewall, error);
}

typedef gboolean (*EditFunc) (PalDocument  *document,
                              gpointer      data,
                              GError      **error);

/* Reads the active document, lets edit change it, applies it. */
static gboolean
edit_and_apply (PalHelperTriggered  *self,
                EditFunc             edit,
                gpointer             data,
                GError             **error)
{
  g_autoptr(PalDocument) document = NULL;
  gboolean ok = FALSE;

  if (!g_mutex_trylock (self->apply_lock))
    {
      g_set_error_literal (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_BUSY,
                           "A document is being applied; try again when it is done");
      return FALSE;
    }
  g_mutex_lock (self->kernel_lock);
  document = active_document (self, error);
  if (document != NULL && edit (document, data, error))
    ok = pal_firewall_apply (self->firewall, document, error);
  g_mutex_unlock (self->kernel_lock);
  g_mutex_unlock (self->apply_lock);
  if (ok)
    pal_helper_triggered_applied (self, document);
  return ok;
}

/* ------------------------------------------------------------ triggered */

static GVariant *
entries_to_variant (GPtrArray *entries)
{
  GVariantBuilder builder;

  g_variant_builder_init (&builder, G_VARIANT_TYPE ("a(stsxs)"));
  for (guint i = 0; i < entries->len; i++)
    {
      PalTriggeredEntry *entry = g_ptr_array_index (entries, i);

      g_variant_builder_add (&builder, "(stsxs)", entry->address, entry->seconds_left, entry->reason,
                             entry->when, "triggered");
    }
  return g_variant_builder_end (&builder);
}

static gboolean
on_handle_list_triggered (PalDBusFirewall1       *object,
                          GDBusMethodInvocation  *invocation,
                          PalHelperTriggered     *self)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  if (!check_triggered (self, invocation))
    return TRUE;
  entries = pal_triggered_list (self->triggered, &error);
  if (entries == NULL)
    return_error (invocation, error);
  else
    pal_dbus_firewall1_complete_list_triggered (object, invocation, entries_to_variant (entries));
  return TRUE;
}

static gboolean
on_handle_list_triggered_values (PalDBusFirewall1       *object,
                                 GDBusMethodInvocation  *invocation,
                                 PalHelperTriggered     *self)
{
  g_autoptr(GVariant) values = NULL;
  g_autoptr(GError) error = NULL;

  if (!check_triggered (self, invocation))
    return TRUE;
  values = pal_triggered_list_values (self->triggered, &error);
  if (values == NULL)
    return_error (invocation, error);
  else
    g_dbus_method_invocation_return_value (invocation, g_steal_pointer (&values));
  return TRUE;
}

/* 0: the active document's trigger duration. */
static gboolean
resolve_duration (PalHelperTriggered  *self,
                  guint64             *duration,
                  GError             **error)
{
  g_autoptr(PalDocument) document = NULL;

  if (*duration != 0)
    return check_duration (*duration, error);
  g_mutex_lock (self->kernel_lock);
  document = active_document (self, error);
  g_mutex_unlock (self->kernel_lock);
  if (document == NULL)
    return FALSE;
  *duration = pal_document_get_trigger_duration (document);
  if (*duration == 0)
    *duration = G_MAXUINT64;
  return TRUE;
}

static gboolean
on_handle_add_triggered (PalDBusFirewall1       *object,
                         GDBusMethodInvocation  *invocation,
                         const char * const     *addresses,
                         guint64                 duration,
                         const char             *reason,
                         PalHelperTriggered     *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  gint64 added = -1;

  if (!check_triggered (self, invocation))
    return TRUE;
  if (resolve_duration (self, &duration, &error))
    added = pal_triggered_add_full (self->triggered, addresses, duration, reason, 0, &entries, &error);
  if (added < 0)
    {
      return_error (invocation, error);
      return TRUE;
    }
  g_info ("%s banned %" G_GINT64_FORMAT " addresses: %s", g_dbus_method_invocation_get_sender (invocation),
          added, reason);
  /* The caller waits for the bans only, not for the log of them. */
  pal_dbus_firewall1_complete_add_triggered (object, invocation, added);
  changed_by_adding (self, entries);
  return TRUE;
}

static gboolean
on_handle_remove_triggered (PalDBusFirewall1       *object,
                            GDBusMethodInvocation  *invocation,
                            const char * const     *addresses,
                            PalHelperTriggered     *self)
{
  g_autoptr(GError) error = NULL;
  gint64 removed;

  if (!check_triggered (self, invocation))
    return TRUE;
  removed = pal_triggered_remove (self->triggered, addresses, &error);
  if (removed < 0)
    {
      return_error (invocation, error);
      return TRUE;
    }
  pal_helper_triggered_changed (self);
  pal_dbus_firewall1_complete_remove_triggered (object, invocation, removed);
  return TRUE;
}

static gboolean
on_handle_flush_triggered (PalDBusFirewall1       *object,
                           GDBusMethodInvocation  *invocation,
                           PalHelperTriggered     *self)
{
  g_autoptr(GError) error = NULL;

  if (!check_triggered (self, invocation))
    return TRUE;
  if (!pal_triggered_flush (self->triggered, &error))
    {
      return_error (invocation, error);
      return TRUE;
    }
  pal_helper_triggered_changed (self);
  pal_dbus_firewall1_complete_flush_triggered (object, invocation);
  return TRUE;
}

static gboolean
edit_duration (PalDocument  *document,
               gpointer      data,
               GError      **error)
{
  guint64 seconds = *(guint64 *) data;

  pal_document_set_trigger_duration (document, seconds == G_MAXUINT64 ? PAL_DURATION_FOREVER : seconds);
  return TRUE;
}

static gboolean
on_handle_set_trigger_duration (PalDBusFirewall1       *object,
                                GDBusMethodInvocation  *invocation,
                                guint64                 seconds,
                                PalHelperTriggered     *self)
{
  g_autoptr(GError) error = NULL;

  if (!check_duration (seconds, &error) || !edit_and_apply (self, edit_duration, &seconds, &error))
    {
      return_error (invocation, error);
      return TRUE;
    }
  pal_dbus_firewall1_complete_set_trigger_duration (object, invocation);
  return TRUE;
}

/* ------------------------------------------------------------ trusted */

static gboolean
on_handle_list_trusted (PalDBusFirewall1       *object,
                        GDBusMethodInvocation  *invocation,
                        PalHelperTriggered     *self)
{
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  const char *const none[] = { NULL };

  g_mutex_lock (self->kernel_lock);
  /* No table: nothing is trusted yet, which is not an error to a reader. */
  document = has_table (self) ? pal_firewall_get_active (self->firewall, &error) : NULL;
  g_mutex_unlock (self->kernel_lock);
  if (document == NULL && error != NULL)
    return_error (invocation, error);
  else
    pal_dbus_firewall1_complete_list_trusted (object, invocation,
                                              document != NULL && pal_document_get_trusted (document) != NULL
                                                ? pal_document_get_trusted (document) : none);
  return TRUE;
}

/* Each text checked as a source address; canonical, as written. */
static gboolean
check_trusted (const char * const  *texts,
               GError             **error)
{
  guint n = g_strv_length ((char **) texts);

  if (n == 0 || n > PAL_DOCUMENT_MAX_TRUSTED)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "Give between 1 and %u trusted addresses or networks, not %u", PAL_DOCUMENT_MAX_TRUSTED, n);
      return FALSE;
    }
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(PalValue) value = NULL;

      if (!g_utf8_validate (texts[i], -1, NULL) || strchr (texts[i], ',') != NULL
          || (value = pal_value_parse (PAL_PROPERTY_SOURCE_ADDRESS, texts[i], &local_error)) == NULL)
        {
          g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                       "Trusted entry %u is not one address, range or network%s%s", i + 1,
                       local_error != NULL ? ": " : "", local_error != NULL ? local_error->message : "");
          return FALSE;
        }
    }
  return TRUE;
}

typedef struct
{
  const char * const *texts;
  gboolean            add;
} TrustedEdit;

static gboolean
edit_trusted (PalDocument  *document,
              gpointer      data,
              GError      **error)
{
  TrustedEdit *edit = data;
  const char * const *old = pal_document_get_trusted (document);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; old != NULL && old[i] != NULL; i++)
    if (edit->add || !g_strv_contains (edit->texts, old[i]))
      g_ptr_array_add (list, g_strdup (old[i]));
  for (guint i = 0; edit->add && edit->texts[i] != NULL; i++)
    if (old == NULL || !g_strv_contains (old, edit->texts[i]))
      g_ptr_array_add (list, g_strdup (edit->texts[i]));
  if (list->len > PAL_DOCUMENT_MAX_TRUSTED)
    {
      g_set_error (error, PAL_HELPER_ERROR, PAL_HELPER_ERROR_INVALID_ARGS,
                   "The trusted list would hold %u entries, more than %u", list->len, PAL_DOCUMENT_MAX_TRUSTED);
      return FALSE;
    }
  g_ptr_array_add (list, NULL);
  pal_document_set_trusted (document, (const char * const *) list->pdata);
  return TRUE;
}

static gboolean
change_trusted (PalHelperTriggered  *self,
                const char * const  *texts,
                gboolean             add,
                GError             **error)
{
  TrustedEdit edit = { texts, add };

  if (!check_trusted (texts, error) || !edit_and_apply (self, edit_trusted, &edit, error))
    return FALSE;
  pal_helper_triggered_changed (self);
  return TRUE;
}

static gboolean
on_handle_add_trusted (PalDBusFirewall1       *object,
                       GDBusMethodInvocation  *invocation,
                       const char * const     *texts,
                       PalHelperTriggered     *self)
{
  g_autoptr(GError) error = NULL;

  if (!change_trusted (self, texts, TRUE, &error))
    return_error (invocation, error);
  else
    pal_dbus_firewall1_complete_add_trusted (object, invocation);
  return TRUE;
}

static gboolean
on_handle_remove_trusted (PalDBusFirewall1       *object,
                          GDBusMethodInvocation  *invocation,
                          const char * const     *texts,
                          PalHelperTriggered     *self)
{
  g_autoptr(GError) error = NULL;

  if (!change_trusted (self, texts, FALSE, &error))
    return_error (invocation, error);
  else
    pal_dbus_firewall1_complete_remove_trusted (object, invocation);
  return TRUE;
}

/* ------------------------------------------------------------ import, export */

static gboolean
on_handle_import (PalDBusFirewall1       *object,
                  GDBusMethodInvocation  *invocation,
                  const char             *text,
                  PalHelperTriggered     *self)
{
  g_autoptr(GPtrArray) trusted = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  gint64 added;

  if (!check_triggered (self, invocation))
    return TRUE;
  added = pal_triggered_import (self->triggered, text, trusted, &error);
  if (added >= 0 && trusted->len > 0)
    {
      g_ptr_array_add (trusted, NULL);
      if (!change_trusted (self, (const char * const *) trusted->pdata, TRUE, &error))
        added = -1;
    }
  if (added < 0)
    {
      return_error (invocation, error);
      return TRUE;
    }
  pal_helper_triggered_changed (self);
  pal_dbus_firewall1_complete_import (object, invocation,
                                      (guint) MIN (added + (trusted->len > 0 ? trusted->len - 1 : 0), G_MAXUINT));
  return TRUE;
}

static gboolean
on_handle_export (PalDBusFirewall1       *object,
                  GDBusMethodInvocation  *invocation,
                  PalHelperTriggered     *self)
{
  g_autoptr(PalDocument) document = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (!check_triggered (self, invocation))
    return TRUE;
  g_mutex_lock (self->kernel_lock);
  document = has_table (self) ? pal_firewall_get_active (self->firewall, &error) : NULL;
  g_mutex_unlock (self->kernel_lock);
  if (error == NULL)
    text = pal_triggered_export (self->triggered, document != NULL ? pal_document_get_trusted (document) : NULL,
                                 &error);
  if (text == NULL)
    return_error (invocation, error);
  else
    pal_dbus_firewall1_complete_export (object, invocation, text);
  return TRUE;
}

/* ------------------------------------------------------------ object */

static void
changed_in_thread (GTask        *task,
                   gpointer      source,
                   gpointer      data,
                   GCancellable *cancellable)
{
  pal_helper_triggered_changed (source);
}

/* Main context: the look after a ban reads the whole sets (a second at
 * 100,000 entries), so it runs in a thread, as the periodic one does. */
static void
on_banned (PalAdaptive        *adaptive,
           const char         *address,
           const char         *reason,
           PalHelperTriggered *self)
{
  g_autoptr(GTask) task = g_task_new (self, NULL, NULL, NULL);

  g_task_run_in_thread (task, changed_in_thread);
}

static void
connect_handlers (PalHelperTriggered *self)
{
  g_signal_connect (self->object, "handle-list-triggered", G_CALLBACK (on_handle_list_triggered), self);
  g_signal_connect (self->object, "handle-list-triggered-values", G_CALLBACK (on_handle_list_triggered_values),
                    self);
  g_signal_connect (self->object, "handle-add-triggered", G_CALLBACK (on_handle_add_triggered), self);
  g_signal_connect (self->object, "handle-remove-triggered", G_CALLBACK (on_handle_remove_triggered), self);
  g_signal_connect (self->object, "handle-flush-triggered", G_CALLBACK (on_handle_flush_triggered), self);
  g_signal_connect (self->object, "handle-set-trigger-duration", G_CALLBACK (on_handle_set_trigger_duration),
                    self);
  g_signal_connect (self->object, "handle-list-trusted", G_CALLBACK (on_handle_list_trusted), self);
  g_signal_connect (self->object, "handle-add-trusted", G_CALLBACK (on_handle_add_trusted), self);
  g_signal_connect (self->object, "handle-remove-trusted", G_CALLBACK (on_handle_remove_trusted), self);
  g_signal_connect (self->object, "handle-import", G_CALLBACK (on_handle_import), self);
  g_signal_connect (self->object, "handle-export", G_CALLBACK (on_handle_export), self);
}

PalHelperTriggered *
pal_helper_triggered_new (PalDBusFirewall1 *object,
                          PalFirewall      *firewall,
                          GMutex           *kernel_lock,
                          GMutex           *apply_lock)
{
  PalHelperTriggered *self;

  g_return_val_if_fail (PAL_DBUS_IS_FIREWALL1 (object), NULL);
  g_return_val_if_fail (PAL_IS_FIREWALL (firewall), NULL);

  self = g_object_new (PAL_TYPE_HELPER_TRIGGERED, NULL);
  self->object = object;
  self->firewall = g_object_ref (firewall);
  self->kernel_lock = kernel_lock;
  self->apply_lock = apply_lock;
  self->context = g_main_context_ref_thread_default ();
  self->state_directory = pal_helper_triggered_state_directory ();
  self->triggered = pal_triggered_new (&self->triggered_error);
  self->restore_pending = TRUE;
  if (self->triggered != NULL)
    {
      pal_triggered_set_firewall (self->triggered, firewall);
      self->adaptive = pal_adaptive_new (self->triggered);
      g_signal_connect (self->adaptive, "banned", G_CALLBACK (on_banned), self);
    }
  connect_handlers (self);
  restore (self);
  resume_adaptive (self);
  self->period_source = g_timeout_add_seconds (SAVE_PERIOD_S, on_period, self);
  /* The first look learns what is banned already. */
  look_for_bans (self, TRUE);
  self->ban_source = g_timeout_add_seconds (PAL_BAN_EVENTS_PERIOD_S, on_ban_period, self);
  return self;
}
