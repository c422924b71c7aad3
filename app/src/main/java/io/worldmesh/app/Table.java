package io.worldmesh.app;

import java.io.PrintStream;
import java.util.List;

/** Prints rows of text as an aligned two-or-more column table. */
final class Table {

    private Table() {
    }

    static void print(PrintStream out, String title, List<String[]> rows) {
        int columns = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        int[] width = new int[columns];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                width[i] = Math.max(width[i], row[i].length());
            }
        }
        int total = java.util.Arrays.stream(width).sum() + 3 * Math.max(0, columns - 1);
        out.println(title);
        out.println("-".repeat(Math.max(total, title.length())));
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                if (i > 0) {
                    line.append("   ");
                }
                boolean numeric = i > 0 && row[i].matches("[-0-9.,]+( .*)?");
                String cell = row[i];
                line.append(numeric ? " ".repeat(width[i] - cell.length()) + cell
                        : cell + " ".repeat(width[i] - cell.length()));
            }
            out.println(line.toString().stripTrailing());
        }
    }
}
