package io.netsnap.lab;

import java.util.ArrayList;
import java.util.List;

/**
 * The security contexts a multiple-mode ASA's system configuration declares, and the {@code show context} table made
 * from them. The system configuration is the single source of truth, as on the device:
 *
 * <pre>
 * admin-context admin
 * context admin
 *   allocate-interface Management0/0
 *   allocate-interface GigabitEthernet0/0
 *   config-url disk0:/admin.cfg
 * !
 * context ctx1
 *   member gold
 *   allocate-interface GigabitEthernet0/2
 *   config-url disk0:/ctx1.cfg
 * </pre>
 *
 * gives, in the system execution space:
 *
 * <pre>
 * Context Name      Class                Interfaces           Mode         URL
 * *admin            default              Management0/0,       Routed       disk0:/admin.cfg
 *                                        GigabitEthernet0/0
 *  ctx1             gold                 GigabitEthernet0/2   Routed       disk0:/ctx1.cfg
 * Total active Security Contexts: 2
 * </pre>
 *
 * Columns are 18, 21, 21 and 13 characters wide; {@code *} marks the admin context. An interface list longer than
 * its column wraps after a comma onto lines that carry nothing else, indented to the column. An interface name longer
 * than the column on its own is printed whole and the row realigns after one space: the simulator's choice, not
 * verified on a device. A context whose configuration says {@code firewall transparent} shows {@code Transparent}.
 */
final class AsaContexts {

    /** One {@code context NAME} block; {@code memberClass} is {@code default} unless the block has {@code member}. */
    record Entry(String name, String memberClass, List<String> interfaces, String url) {
    }

    static final String TABLE_HEADER =
            "Context Name      Class                Interfaces           Mode         URL";
    private static final int NAME_WIDTH = 18;
    private static final int CLASS_WIDTH = 21;
    private static final int INTERFACES_WIDTH = 21;
    private static final int MODE_WIDTH = 13;

    private AsaContexts() {
    }

    static List<Entry> parse(String systemBody) {
        List<Entry> entries = new ArrayList<>();
        String name = null;
        String memberClass = "default";
        List<String> interfaces = new ArrayList<>();
        String url = "";
        for (String line : systemBody.split("\n", -1)) {
            boolean inBlock = !line.isEmpty() && Character.isWhitespace(line.charAt(0));
            if (name != null && !inBlock) {
                entries.add(new Entry(name, memberClass, List.copyOf(interfaces), url));
                name = null;
            }
            String[] words = line.strip().split("\\s+");
            if (!inBlock && words.length == 2 && words[0].equals("context")) {
                name = words[1];
                memberClass = "default";
                interfaces.clear();
                url = "";
            } else if (name != null && words.length >= 2) {
                switch (words[0]) {
                    case "member" -> memberClass = words[1];
                    case "allocate-interface" -> interfaces.add(words[1]);
                    case "config-url" -> url = words[1];
                    default -> {
                        // description, join-failover-group, storage-url...: not shown by show context.
                    }
                }
            }
        }
        if (name != null) {
            entries.add(new Entry(name, memberClass, List.copyOf(interfaces), url));
        }
        return entries;
    }

    /** The name after {@code admin-context}, or {@code null} when the system configuration has none. */
    static String adminContext(String systemBody) {
        for (String line : systemBody.split("\n", -1)) {
            String[] words = line.strip().split("\\s+");
            if (words.length == 2 && words[0].equals("admin-context") && !Character.isWhitespace(line.charAt(0))) {
                return words[1];
            }
        }
        return null;
    }

    /** The rows of one context, without the header: the first line carries every column, the others wrap. */
    static List<String> rows(Entry entry, boolean admin, boolean transparent) {
        List<String> pieces = wrap(entry.interfaces());
        List<String> lines = new ArrayList<>();
        lines.add(pad((admin ? "*" : " ") + entry.name(), NAME_WIDTH) + pad(entry.memberClass(), CLASS_WIDTH)
                + pad(pieces.get(0), INTERFACES_WIDTH) + pad(transparent ? "Transparent" : "Routed", MODE_WIDTH)
                + entry.url());
        for (String piece : pieces.subList(1, pieces.size())) {
            lines.add(" ".repeat(NAME_WIDTH + CLASS_WIDTH) + piece);
        }
        return lines;
    }

    /** Splits {@code a,b,c} into lines that fit the column; every line but the last keeps its trailing comma. */
    private static List<String> wrap(List<String> interfaces) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < interfaces.size(); i++) {
            String piece = interfaces.get(i) + (i < interfaces.size() - 1 ? "," : "");
            if (!line.isEmpty() && line.length() + piece.length() > INTERFACES_WIDTH - 1) {
                lines.add(line.toString());
                line.setLength(0);
            }
            line.append(piece);
        }
        lines.add(line.toString());
        return lines;
    }

    private static String pad(String text, int width) {
        return text.length() < width ? text + " ".repeat(width - text.length()) : text + " ";
    }
}
