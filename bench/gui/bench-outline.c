/* bench-outline.c — how fast the document window opens big documents and
 * how much a live-counter refresh costs (issue 4, "Scale").
 *
 * For 10,000 and 100,000 rules: read the .fwdoc from disk into a window
 * and wait until the outline has drawn its rows ("usable"); then feed the
 * counter table one GetCounterValues reply per second of every rule and
 * measure the process CPU time of each second (the table, the visible
 * rows and every frame drawn until the next refresh, with animations on
 * as a desktop has them), as a share of one core, and count the frames.
 *
 * Run under Xvfb: meson test -C BUILD --benchmark --suite gui, or
 * bench-outline FILE… (tools/bench passes bench/gen-documents.py's
 * outline-N.fwdoc). Under Xvfb the GL renderer rasterizes in software
 * (Mesa llvmpipe), on the CPU a GPU would spare; the renderer is printed,
 * and GSK_RENDERER=cairo shows the refresh without that share.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <time.h>

#include <glib/gstdio.h>

#include "pal-application.h"
#include "pal-fwdoc.h"
#include "pal-window.h"

#define REFRESHES 10

static double
cpu_seconds (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

static gboolean
count_frame_cb (GtkWidget     *widget,
                GdkFrameClock *clock,
                gpointer       data)
{
  (*(guint *) data)++;
  return G_SOURCE_CONTINUE;
}

static void
wait_frames (GtkWidget *widget,
             guint      n)
{
  guint frames = 0;
  guint id = gtk_widget_add_tick_callback (widget, count_frame_cb, &frames, NULL);

  while (frames < n)
    g_main_context_iteration (NULL, TRUE);
  gtk_widget_remove_tick_callback (widget, id);
}

typedef struct
{
  GdkSurface *surface;
  guint       frames;
} FrameCount;

/* A frame that drew something (GdkSurface::render; the frame clock also
 * ticks once more after an update, drawing nothing). A hook, because the
 * window's own handler stops the emission. */
static gboolean
count_frame (GSignalInvocationHint *hint,
             guint                  n_values,
             const GValue          *values,
             gpointer               data)
{
  FrameCount *count = data;

  if (g_value_get_object (&values[0]) == count->surface)
    count->frames++;
  return TRUE;
}

static gboolean
wake_cb (gpointer data)
{
  return G_SOURCE_REMOVE;
}

/* Runs the main loop until the monotonic time until. */
static void
run_until (gint64 until)
{
  gint64 now;

  while ((now = g_get_monotonic_time ()) < until)
    {
      g_autoptr(GSource) wake = g_timeout_source_new ((until - now) / 1000 + 1);

      g_source_set_callback (wake, wake_cb, NULL, NULL);
      g_source_attach (wake, NULL);
      g_main_context_iteration (NULL, TRUE);
      g_source_destroy (wake);
    }
}

/* Groups of ten under a parent, as real documents nest. */
static PalDocument *
make_document (guint n_rules)
{
  PalDocument *document = pal_document_new ();
  g_autoptr(GPtrArray) top = g_ptr_array_new_with_free_func (g_object_unref);
  PalRule *group = NULL;

  for (guint i = 0; i < n_rules; i++)
    {
      g_autoptr(PalRule) rule = pal_rule_new (PAL_PROPERTY_SOURCE_ADDRESS, PAL_ACTION_DROP);
      g_autofree char *name = g_strdup_printf ("Block host %u", i);
      g_autofree char *value = g_strdup_printf ("10.%u.%u.%u", i / 65536, (i / 256) % 256, i % 256);

      pal_rule_set_name (rule, name);
      pal_rule_set_value (rule, value);
      if (i % 11 == 0)
        {
          pal_rule_set_property (rule, PAL_PROPERTY_DIRECTION);
          pal_rule_set_value (rule, "in");
          pal_rule_set_action (rule, PAL_ACTION_GROUP);
          g_ptr_array_add (top, g_object_ref (rule));
          group = rule;
        }
      else
        pal_rule_append_child (group, rule);
    }
  pal_document_set_rules (document, top);
  return document;
}

static void
collect_ids (GListModel *rules,
             GPtrArray  *ids)
{
  guint n = g_list_model_get_n_items (rules);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(PalRule) rule = g_list_model_get_item (rules, i);

      g_ptr_array_add (ids, (gpointer) pal_rule_get_id (rule));
      collect_ids (pal_rule_get_children (rule), ids);
    }
}

/* A reply as GetCounters gives it: every rule moving, one in seven every
 * second, the others every other second (odd and even rules in turn), so
 * that in every refresh highlights come and others go, as with traffic. */
static GVariant *
make_counters (GPtrArray *ids,
               guint      round)
{
  g_autofree guint64 *values = g_new (guint64, 3 * (gsize) ids->len);

  for (guint i = 0; i < ids->len; i++)
    {
      guint64 packets = i % 7 == 0 ? round * 3 : (round + i % 2) / 2;

      values[3 * i] = packets;
      values[3 * i + 1] = packets * 60;
      values[3 * i + 2] = packets > 0 ? 200 : G_MAXUINT64;
    }
  /* GetCounterValues: the ids in the first reply only, as the helper sends them. */
  return g_variant_new ("(t@as@at)", (guint64) 1,
                        g_variant_new_strv ((const char * const *) ids->pdata, round == 1 ? (gssize) ids->len : 0),
                        g_variant_new_fixed_array (G_VARIANT_TYPE_UINT64, values, 3 * (gsize) ids->len,
                                                   sizeof (guint64)));
}

/* REFRESHES refreshes, a second each: returns the CPU time (s) they took
 * in all and counts the frames they drew. Not inlined: callgrind's
 * --toggle-collect=measure_refreshes profiles just this part. */
G_GNUC_NO_INLINE static double
measure_refreshes (PalWindow *window,
                   GPtrArray *ids,
                   guint     *frames)
{
  PalCounterTable *counters = pal_window_get_counters (window);
  FrameCount count = { gtk_native_get_surface (GTK_NATIVE (window)), 0 };
  guint render = g_signal_lookup ("render", GDK_TYPE_SURFACE);
  gulong hook = g_signal_add_emission_hook (render, 0, count_frame, &count, NULL);
  double cpu_total = 0;

  for (guint round = 1; round <= REFRESHES; round++)
    {
      g_autoptr(GVariant) reply = g_variant_ref_sink (make_counters (ids, round));
      g_autoptr(GError) error = NULL;
      gint64 next = g_get_monotonic_time () + G_USEC_PER_SEC;
      double cpu_round;

      /* The reply is built outside the measurement: D-Bus hands it over.
       * The second until the next refresh is measured whole. */
      cpu_round = cpu_seconds ();
      if (!pal_counter_table_update (counters, reply, g_get_monotonic_time (), &error))
        g_error ("%s", error->message);
      run_until (next);
      cpu_total += cpu_seconds () - cpu_round;
    }
  g_signal_remove_emission_hook (render, hook);
  *frames = count.frames;
  return cpu_total;
}

static void
bench (PalApplication *application,
       GFile          *file)
{
  g_autofree char *base = g_file_get_basename (file);
  g_autoptr(GPtrArray) ids = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(PalDocument) loaded = NULL;
  PalWindow *window;
  gint64 start, read, opened;
  double cpu_start, cpu_read, cpu_opened, cpu_total;
  guint frames;

  window = pal_window_new (GTK_APPLICATION (application));
  gtk_window_set_default_size (GTK_WINDOW (window), 1180, 720);
  gtk_window_present (GTK_WINDOW (window));
  wait_frames (GTK_WIDGET (window), 2);

  /* Open: read and validate (libpalisade), then the window's part: build
   * the model, lay out and draw the rows. pal_window_load_file() does both. */
  start = g_get_monotonic_time ();
  cpu_start = cpu_seconds ();
  loaded = pal_fwdoc_load_file (file, NULL, NULL, &error);
  if (loaded == NULL)
    g_error ("%s", error->message);
  read = g_get_monotonic_time ();
  cpu_read = cpu_seconds ();
  pal_window_set_document (window, loaded, file);
  wait_frames (GTK_WIDGET (window), 2);
  opened = g_get_monotonic_time ();
  cpu_opened = cpu_seconds ();
  g_assert_cmpuint (pal_rule_outline_get_n_bound_cells (pal_window_get_outline (window)), >, 0);

  /* Refresh: the live column showing, one update a second, animations
   * on (as on a desktop: a highlight that fades would draw its frames). */
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", TRUE, NULL);
  gtk_widget_activate_action (GTK_WIDGET (pal_window_get_outline (window)),
                              "outline.last-column", "s", "packets");
  wait_frames (GTK_WIDGET (window), 2);
  collect_ids (pal_document_get_rules (pal_window_get_document (window)), ids);
  cpu_total = measure_refreshes (window, ids, &frames);

  g_print ("%7u rules (%s, %s): usable after %5.0f ms (CPU %5.0f ms: read %5.0f, window %4.0f); "
           "refresh %5.1f ms CPU = %4.1f%% of a core at 1 Hz, %.1f frames a refresh\n",
           pal_document_count_rules (pal_window_get_document (window)),
           base,
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))),
           (opened - start) / 1000.0,
           (cpu_opened - cpu_start) * 1000.0,
           (cpu_read - cpu_start) * 1000.0,
           (cpu_opened - cpu_read) * 1000.0,
           cpu_total / REFRESHES * 1000.0,
           cpu_total / REFRESHES * 100.0,
           (double) frames / REFRESHES);
  /* For tools/bench's table: document, renderer, rules, usable, CPU of
   * usable, read, window, refresh (ms), refresh share of a core (%) and
   * frames drawn per refresh. */
  g_print ("BENCH-GUI %s %s %u %.0f %.0f %.0f %.0f %.1f %.1f %.1f\n", base,
           G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (window))),
           pal_document_count_rules (pal_window_get_document (window)),
           (opened - start) / 1000.0, (cpu_opened - cpu_start) * 1000.0,
           (cpu_read - cpu_start) * 1000.0, (cpu_opened - cpu_read) * 1000.0,
           cpu_total / REFRESHES * 1000.0, cpu_total / REFRESHES * 100.0,
           (double) frames / REFRESHES);
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  (void) read;

  gtk_window_destroy (GTK_WINDOW (window));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The simple document of n_rules written to dir, then benchmarked. */
static void
bench_generated (PalApplication *application,
                 guint           n_rules,
                 const char     *dir)
{
  g_autoptr(PalDocument) document = make_document (n_rules);
  g_autofree char *name = g_strdup_printf ("bench-%u.fwdoc", n_rules);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;

  if (!pal_fwdoc_save_file (document, file, NULL, &error))
    g_error ("%s", error->message);
  bench (application, file);
  g_unlink (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(PalApplication) application = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;

  gtk_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  application = pal_application_new ();
  g_application_set_flags (G_APPLICATION (application),
                           G_APPLICATION_HANDLES_OPEN | G_APPLICATION_NON_UNIQUE);
  if (!g_application_register (G_APPLICATION (application), NULL, &error))
    g_error ("%s", error->message);

  g_print ("The document window, GTK %u.%u (targets: 10k usable < 1 s, 100k < 3 s, refresh < 5%%)\n",
           gtk_get_major_version (), gtk_get_minor_version ());
  if (argc > 1)
    {
      for (int i = 1; i < argc; i++)
        {
          g_autoptr(GFile) file = g_file_new_for_commandline_arg (argv[i]);
          bench (application, file);
        }
      return 0;
    }

  dir = g_dir_make_tmp ("palisade-bench-XXXXXX", &error);
  if (dir == NULL)
    g_error ("%s", error->message);
  bench_generated (application, 10000, dir);
  bench_generated (application, 100000, dir);
  g_rmdir (dir);
  return 0;
}
