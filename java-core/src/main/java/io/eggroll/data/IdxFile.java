package io.eggroll.data;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;

/**
 * An IDX array (LeCun's MNIST format) of unsigned bytes: a 4-byte magic {@code 00 00 08 nd},
 * {@code nd} big-endian 32-bit dimension sizes, then the data in C order. Files may be plain or
 * gzip-compressed; compression is detected by the gzip magic {@code 1f 8b}, not by the name.
 *
 * @param dims dimension sizes
 * @param data the elements, one unsigned byte each
 */
public record IdxFile(int[] dims, byte[] data) {

    /** Element type code for unsigned bytes, the only one MNIST uses. */
    public static final int TYPE_UBYTE = 0x08;

    /** Reads and validates an IDX file. */
    public static IdxFile read(Path file) throws IOException {
        return parse(readMaybeGzipped(file), file.toString());
    }

    /** Reads the whole file, decompressing it if it starts with the gzip magic. */
    public static byte[] readMaybeGzipped(Path file) throws IOException {
        try (InputStream raw = new BufferedInputStream(Files.newInputStream(file))) {
            raw.mark(2);
            int b0 = raw.read();
            int b1 = raw.read();
            raw.reset();
            if (b0 == 0x1f && b1 == 0x8b) {
                try (InputStream gz = new GZIPInputStream(raw, 65536)) {
                    return gz.readAllBytes();
                } catch (EOFException e) {
                    throw new IOException(file + ": gzip stream is truncated (" + e.getMessage() + ")", e);
                } catch (java.util.zip.ZipException e) {
                    throw new IOException(file + ": corrupt gzip data: " + e.getMessage(), e);
                }
            }
            return raw.readAllBytes();
        }
    }

    /**
     * Parses IDX bytes.
     *
     * @param source name used in error messages
     */
    public static IdxFile parse(byte[] bytes, String source) throws IOException {
        if (bytes.length < 4) {
            throw new IOException(source + ": too short for an IDX header (" + bytes.length + " bytes)");
        }
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw new IOException(String.format(
                    "%s: bad IDX magic %02x %02x %02x %02x (expected 00 00 08 <ndims>)",
                    source, bytes[0] & 0xFF, bytes[1] & 0xFF, bytes[2] & 0xFF, bytes[3] & 0xFF));
        }
        int type = bytes[2] & 0xFF;
        if (type != TYPE_UBYTE) {
            throw new IOException(String.format(
                    "%s: unsupported IDX element type 0x%02x (only unsigned byte 0x08 is supported)",
                    source, type));
        }
        int nd = bytes[3] & 0xFF;
        if (nd < 1 || nd > 4) {
            throw new IOException(source + ": IDX header declares " + nd + " dimensions (expected 1 to 4)");
        }
        int header = 4 + 4 * nd;
        if (bytes.length < header) {
            throw new IOException(source + ": truncated IDX header: " + nd + " dimensions need "
                    + header + " bytes, file has " + bytes.length);
        }
        int[] dims = new int[nd];
        long count = 1;
        for (int i = 0; i < nd; i++) {
            int o = 4 + 4 * i;
            dims[i] = ((bytes[o] & 0xFF) << 24) | ((bytes[o + 1] & 0xFF) << 16)
                    | ((bytes[o + 2] & 0xFF) << 8) | (bytes[o + 3] & 0xFF);
            if (dims[i] < 0) {
                throw new IOException(source + ": IDX dimension " + i + " has invalid size " + (dims[i] & 0xFFFFFFFFL));
            }
            count *= dims[i];
        }
        long available = bytes.length - (long) header;
        if (available < count) {
            throw new IOException(source + ": truncated IDX data: dimensions " + Arrays.toString(dims)
                    + " need " + count + " bytes after the header, file has " + available);
        }
        if (available > count) {
            throw new IOException(source + ": IDX file has " + (available - count)
                    + " trailing bytes after the " + count + " declared by dimensions " + Arrays.toString(dims));
        }
        return new IdxFile(dims, Arrays.copyOfRange(bytes, header, bytes.length));
    }

    /** Encodes this array as IDX bytes (uncompressed). */
    public byte[] toBytes() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4 + 4 * dims.length + data.length);
        out.write(0);
        out.write(0);
        out.write(TYPE_UBYTE);
        out.write(dims.length);
        for (int d : dims) {
            out.write(d >>> 24);
            out.write(d >>> 16);
            out.write(d >>> 8);
            out.write(d);
        }
        out.write(data, 0, data.length);
        return out.toByteArray();
    }
}
