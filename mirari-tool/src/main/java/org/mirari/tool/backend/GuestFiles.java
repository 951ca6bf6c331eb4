package org.mirari.tool.backend;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mirari.runtime.internal.tls.Pem;
import org.mirari.tool.error.BackendException;
import org.mirari.tool.error.ConfigException;

/**
 * Boot-time parameters whose values are files on the host ({@code tls-certificate}, {@code tls-key}):
 * a guest cannot open the host's paths, so each VM target hands the file's content over its own
 * channel and rewrites the parameter to where the guest finds it. The image stays the same for
 * every host; only the run's command line changes.
 *
 * <ul>
 *   <li>QEMU: fw_cfg ({@code -fw_cfg name=opt/org.mirari/<param>,file=<path>}), which the guest's
 *       {@code qemu_fw_cfg} module shows as a file; QEMU reads the file itself, so the key is on no
 *       command line and nothing is written.
 *   <li>Xen has no such channel for a PVH guest: the PEM goes inline on the kernel command line
 *       ({@code der:BASE64,...}, {@link Pem#INLINE}), which the xl config carries; the command line is
 *       at most {@value #CMDLINE_MAX} bytes, so a long chain is refused with what to do.
 * </ul>
 */
final class GuestFiles {
    /** The parameters that name PEM files, with their PEM label. */
    static final Map<String, String> PARAMS = Map.of("tls-certificate", "CERTIFICATE", "tls-key", "PRIVATE KEY");

    /** Where the guest's {@code qemu_fw_cfg} module shows a file QEMU was given as {@code opt/org.mirari/<param>}. */
    static final String FW_CFG_DIR = "/sys/firmware/qemu_fw_cfg/by_name/opt/org.mirari/";

    /** Linux's {@code COMMAND_LINE_SIZE} on x86, the terminating NUL included. */
    static final int CMDLINE_MAX = 2048;

    private GuestFiles() {}

    /**
     * The parameters as a QEMU guest reads them, and the {@code -fw_cfg} options that hand over the
     * files (added to {@code qemuArgs}).
     */
    static Map<String, String> qemu(Map<String, String> boot, List<String> qemuArgs) {
        var out = new LinkedHashMap<>(boot);
        for (var e : boot.entrySet()) {
            Path file = hostFile(e.getKey(), e.getValue());
            if (file == null) continue;
            // QEMU's option syntax doubles a comma inside a value.
            qemuArgs.addAll(List.of(
                    "-fw_cfg",
                    "name=opt/org.mirari/" + e.getKey() + ",file="
                            + file.toString().replace(",", ",,")));
            out.put(e.getKey(), FW_CFG_DIR + e.getKey() + "/raw");
        }
        return out;
    }

    /** The parameters with each file's PEM inline ({@code der:...}), for a Xen guest's command line. */
    static Map<String, String> inline(Map<String, String> boot) {
        var out = new LinkedHashMap<>(boot);
        for (var e : boot.entrySet()) {
            Path file = hostFile(e.getKey(), e.getValue());
            if (file == null) continue;
            String pem;
            try {
                pem = Files.readString(file);
            } catch (IOException e2) {
                throw new ConfigException(e.getKey() + " " + file + " cannot be read here (" + e2.getMessage()
                        + "); give a readable PEM file");
            }
            try {
                out.put(e.getKey(), Pem.inline(pem, PARAMS.get(e.getKey()), file.toString()));
            } catch (IllegalArgumentException bad) {
                throw new ConfigException("boot parameter " + e.getKey() + ": " + bad.getMessage());
            }
        }
        return out;
    }

    /** Refuses a kernel command line longer than Linux keeps (it would cut the TLS key short, silently). */
    static String checked(String cmdline) {
        if (cmdline.length() + 1 <= CMDLINE_MAX) return cmdline;
        throw new BackendException("the guest's kernel command line would be " + cmdline.length()
                + " bytes with the TLS certificate and key inline, over Linux's " + (CMDLINE_MAX - 1)
                + "; a Xen guest gets them only that way: use a shorter chain (an ECDSA P-256 leaf alone fits)"
                + ", or --qemu, which hands them over as files");
    }

    /** The host file a parameter names, or null when it names none (empty, inline, or not a file parameter). */
    private static Path hostFile(String param, String value) {
        if (!PARAMS.containsKey(param) || value.isEmpty() || value.startsWith(Pem.INLINE)) return null;
        if (value.startsWith("env:")) {
            throw new ConfigException("boot parameter " + param + "=" + value
                    + " names the environment, which a VM guest does not share with this host; give the PEM file's"
                    + " path (the run hands the file to the guest)");
        }
        Path file = Path.of(value).toAbsolutePath();
        if (!Files.isReadable(file)) {
            throw new ConfigException("boot parameter " + param + "=" + value
                    + ": no readable file there on this host; give the path of a PEM file");
        }
        return file;
    }
}
