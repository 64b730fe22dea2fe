package io.eggroll.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * A minimal reader for gzip-compressed ustar archives (what {@code npm pack} produces): enough to
 * pull regular files out by base name.
 */
final class TarReader {

    private TarReader() {}

    /** Extracts the regular files whose base name is in {@code names}; returns name to bytes. */
    static Map<String, byte[]> extract(Path tgz, List<String> names) throws IOException {
        Map<String, byte[]> out = new HashMap<>();
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(tgz)), 65536)) {
            byte[] header = new byte[512];
            while (true) {
                if (!readFully(in, header)) {
                    break;
                }
                if (isZero(header)) {
                    break;
                }
                String name = cString(header, 0, 100);
                String prefix = cString(header, 345, 155);
                if (!prefix.isEmpty()) {
                    name = prefix + "/" + name;
                }
                long size = octal(header, 124, 12, tgz);
                char type = (char) header[156];
                long padded = (size + 511) & ~511L;
                String base = name.substring(name.lastIndexOf('/') + 1);
                if ((type == '0' || type == '\0') && names.contains(base) && size <= Integer.MAX_VALUE - 16) {
                    byte[] data = new byte[(int) size];
                    if (!readFully(in, data)) {
                        throw new EOFException(tgz + ": archive truncated inside " + name);
                    }
                    out.put(base, data);
                    in.skipNBytes(padded - size);
                } else {
                    in.skipNBytes(padded);
                }
            }
        }
        return out;
    }

    private static boolean readFully(InputStream in, byte[] b) throws IOException {
        int n = in.readNBytes(b, 0, b.length);
        if (n == 0) {
            return false;
        }
        if (n < b.length) {
            throw new EOFException("tar archive truncated");
        }
        return true;
    }

    private static boolean isZero(byte[] b) {
        for (byte x : b) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static String cString(byte[] b, int off, int len) {
        int end = off;
        while (end < off + len && b[end] != 0) {
            end++;
        }
        return new String(b, off, end - off, StandardCharsets.UTF_8);
    }

    private static long octal(byte[] b, int off, int len, Path src) throws IOException {
        String s = cString(b, off, len).trim();
        try {
            return s.isEmpty() ? 0 : Long.parseLong(s, 8);
        } catch (NumberFormatException e) {
            throw new IOException(src + ": bad tar size field '" + s + "'");
        }
    }
}
