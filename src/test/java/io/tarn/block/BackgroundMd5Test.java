package io.tarn.block;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackgroundMd5Test {
    @Test
    void digestsEverySubmittedByteInOrderAfterTheInlinePrefix() throws Exception {
        Random random = new Random(5);
        byte[] all = new byte[3_000_000];
        random.nextBytes(all);
        MessageDigest md = Md5.newDigest();
        md.update(all, 0, 1000); // bytes digested before going to the background
        int pos = 1000;
        byte[] foreign = new byte[4096];
        try (BackgroundMd5 bg = new BackgroundMd5(md, 2, 64 * 1024)) {
            System.arraycopy(all, pos, foreign, 0, foreign.length);
            bg.submit(foreign, foreign.length);
            pos += foreign.length;
            while (pos < all.length) {
                byte[] buf = bg.buffer();
                int n = Math.min(random.nextInt(buf.length) + 1, all.length - pos);
                System.arraycopy(all, pos, buf, 0, n);
                bg.submit(buf, n);
                pos += n;
            }
            assertThat(Md5.hex(bg.finish())).isEqualTo(Md5.hexOf(all));
        }
    }

    @Test
    void closingWithoutFinishingAbandonsTheWork() throws Exception {
        BackgroundMd5 bg = new BackgroundMd5(Md5.newDigest(), 1, 16);
        bg.submit(bg.buffer(), 16);
        bg.close();
        // a fresh computation still works: the pool thread was released
        try (BackgroundMd5 next = new BackgroundMd5(Md5.newDigest(), 1, 16)) {
            assertThat(Md5.hex(next.finish())).isEqualTo(Md5.hexOf(new byte[0]));
        }
    }
}
