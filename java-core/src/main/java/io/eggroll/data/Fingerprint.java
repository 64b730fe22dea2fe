package io.eggroll.data;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Builds a dataset's {@link SpikeDataset#fingerprint()}: the first 8 bytes of a SHA-256, in hex. */
public final class Fingerprint {

    private final MessageDigest md;

    public Fingerprint() {
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM has no SHA-256", e);
        }
    }

    public Fingerprint add(byte[] bytes) {
        md.update(bytes);
        return this;
    }

    public Fingerprint add(String s) {
        return add(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public Fingerprint add(int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4);
        b.asIntBuffer().put(values);
        return add(b.array());
    }

    public Fingerprint add(long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8);
        b.asLongBuffer().put(values);
        return add(b.array());
    }

    /** The fingerprint: 16 hex digits. */
    public String hex() {
        return HexFormat.of().formatHex(md.digest(), 0, 8);
    }
}
