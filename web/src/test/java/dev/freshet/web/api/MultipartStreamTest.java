package dev.freshet.web.api;

import dev.freshet.control.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The streaming multipart reader: parts as sent, whatever the read sizes, and malformed bodies refused. */
class MultipartStreamTest {
    private static final String TYPE = "multipart/form-data; boundary=----b0undary";

    private static byte[] body(byte[] file) {
        String head = "--" + "----b0undary" + "\r\nContent-Disposition: form-data; name=\"policy\"\r\n\r\non-demand\r\n"
                + "------b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".bin\"\r\n"
                + "Content-Type: application/octet-stream\r\n\r\n";
        String tail = "\r\n------b0undary\r\nContent-Disposition: form-data; name=\"private\"\r\n\r\ntrue\r\n"
                + "------b0undary--\r\n";
        byte[] h = head.getBytes(StandardCharsets.ISO_8859_1);
        byte[] t = tail.getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[h.length + file.length + t.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(file, 0, all, h.length, file.length);
        System.arraycopy(t, 0, all, h.length + file.length, t.length);
        return all;
    }

    /** Hands out at most {@code chunk} bytes per read, as a slow network would. */
    private static InputStream trickle(byte[] data, int chunk) {
        return new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, chunk));
            }
        };
    }

    @Test
    void partsComeOutAsSentWhateverTheReadSizes() throws Exception {
        byte[] file = new byte[300_000];
        new Random(3).nextBytes(file);
        // a near-boundary inside the content must not end it
        byte[] fake = "\r\n------b0undar".getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(fake, 0, file, 70_000, fake.length);
        for (int chunk : new int[] {1, 7, 100, 65_536, 1 << 20}) {
            MultipartStream form = new MultipartStream(trickle(body(file), chunk), TYPE);
            MultipartStream.Part policy = form.next();
            assertThat(policy.name()).isEqualTo("policy");
            assertThat(policy.text(100)).isEqualTo("on-demand");
            MultipartStream.Part f = form.next();
            assertThat(f.name()).isEqualTo("file");
            assertThat(f.fileName()).isEqualTo("a \"b\".bin");
            assertThat(f.body().readAllBytes()).as("chunk " + chunk).isEqualTo(file);
            MultipartStream.Part priv = form.next();
            assertThat(priv.text(10)).isEqualTo("true");
            assertThat(form.next()).isNull();
            assertThat(form.next()).isNull();
        }
    }

    @Test
    void anUnreadPartIsSkipped() throws Exception {
        MultipartStream form = new MultipartStream(new ByteArrayInputStream(body(new byte[10_000])), TYPE);
        form.next();
        form.next();
        assertThat(form.next().name()).isEqualTo("private");
    }

    @Test
    void malformedBodiesAreRefused() {
        byte[] whole = body(new byte[1000]);
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 30);
        assertThatThrownBy(() -> drain(new MultipartStream(new ByteArrayInputStream(cut), TYPE)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("ends before its closing boundary");
        assertThatThrownBy(() -> new MultipartStream(InputStream.nullInputStream(), "multipart/form-data"))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("no boundary");
        assertThatThrownBy(() -> new MultipartStream(InputStream.nullInputStream(),
                "multipart/form-data; boundary=" + "x".repeat(71))).isInstanceOf(InvalidRequestException.class);
        byte[] noDisposition = "------b0undary\r\nX: y\r\n\r\nz\r\n------b0undary--".getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> drain(new MultipartStream(new ByteArrayInputStream(noDisposition), TYPE)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("Content-Disposition");
        byte[] hugeHeader = ("------b0undary\r\nX: " + "y".repeat(20_000) + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> drain(new MultipartStream(new ByteArrayInputStream(hugeHeader), TYPE)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("headers are longer");
        StringBuilder many = new StringBuilder();
        for (int i = 0; i < 40; i++) {
            many.append("------b0undary\r\nContent-Disposition: form-data; name=\"f").append(i).append("\"\r\n\r\nv\r\n");
        }
        many.append("------b0undary--");
        assertThatThrownBy(() -> drain(new MultipartStream(new ByteArrayInputStream(
                many.toString().getBytes(StandardCharsets.ISO_8859_1)), TYPE)))
                .isInstanceOf(InvalidRequestException.class).hasMessageContaining("more than");
        byte[] preamble = new byte[20_000];
        assertThatThrownBy(() -> drain(new MultipartStream(new ByteArrayInputStream(preamble), TYPE)))
                .isInstanceOf(InvalidRequestException.class);
    }

    private static void drain(MultipartStream form) throws IOException {
        for (MultipartStream.Part p; (p = form.next()) != null; ) {
            p.body().readAllBytes();
        }
    }
}
