/* pal-boot.h — "Use at boot": the boot firewall document and its unit.
 *
 * SetBootDocument installs a document as DIR/boot.fwdoc (DIR is
 * /etc/palisade) and enables palisade-boot.service, which runs
 * "palisade-helper --apply-at-boot DIR/boot.fwdoc" before the network comes
 * up. PalBoot does the file and the unit; pal_boot_apply_file() is what the
 * unit runs.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "pal-dbus-generated.h"
#include "pal-firewall.h"

G_BEGIN_DECLS

#define PAL_BOOT_DIR       "/etc/palisade"
#define PAL_BOOT_FILE_NAME "boot.fwdoc"
#define PAL_BOOT_UNIT      "palisade-boot.service"
/* The most text SetBootDocument reads (a 100,000-rule document is ~25 MB). */
#define PAL_BOOT_MAX_SIZE  (64 * 1024 * 1024)

#define PAL_TYPE_BOOT (pal_boot_get_type ())
G_DECLARE_FINAL_TYPE (PalBoot, pal_boot, PAL, BOOT, GObject)

/* dir: where boot.fwdoc goes, or NULL for a helper that has no boot
 * firewall (every call refused). use_systemd: enable and disable the unit
 * through systemd on the system bus (FALSE on a test bus: the file only). */
PalBoot  *pal_boot_new          (const char  *dir,
                                 gboolean     use_systemd);
/* NULL for a helper without a boot firewall. */
const char *pal_boot_get_path   (PalBoot     *self);

/* document: a .fwdoc text, or "" to turn the boot firewall off. Errors are
 * PAL_HELPER_ERROR. Called from any thread. */
gboolean  pal_boot_set_document (PalBoot          *self,
                                 GDBusConnection  *system_bus,
                                 const char       *document,
                                 GError          **error);

/* Serves SetBootDocument on service (the "handle-set-boot-document" signal,
 * emitted in the skeleton's method thread after authorization). */
void      pal_boot_serve        (PalBoot          *self,
                                 PalDBusFirewall1 *service);

/* --apply-at-boot: reads path, validates it and applies it to the kernel
 * directly (no bus). The error says where a problem is, file:line:column.
 * Then the bans the helper saved under state_directory (triggered.tsv)
 * are added back, less the expired ones: a reboot emptied the sets, and
 * the helper itself may not start before someone calls it. A failure
 * there is a warning, not an error: the firewall is in force.
 * restored: how many bans came back. */
gboolean  pal_boot_apply_file   (const char  *path,
                                 const char  *state_directory,
                                 gint64      *restored,
                                 GError     **error);

G_END_DECLS
